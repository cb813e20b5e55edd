package org.lodge.provisioning;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The node's certificate authority for FTPS: the worker signs each unit's own FTP server
 * certificate with it. {@code setup-host.sh} generates one per node; an operator may point these
 * at a CA of their own (an intermediate of their PKI: the certificate file may carry its issuers
 * after it, they are sent along). Only the worker reads the key.
 */
@Validated
@ConfigurationProperties("lodge.node.tls")
public record NodeTlsProperties(@NotBlank String caCertificate, @NotBlank String caKey,
                                @NotNull Duration certificateValidity) {
}
