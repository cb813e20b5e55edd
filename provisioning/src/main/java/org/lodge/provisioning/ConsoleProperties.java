package org.lodge.provisioning;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Consoles: where this node's console gateway listens (and where portals reach it; port 0 takes
 * any free port, recorded in the node's row), and how many consoles one user may have open at once.
 */
@Validated
@ConfigurationProperties("lodge.console")
public record ConsoleProperties(@NotBlank String gatewayAddress, @Min(0) @Max(65535) int gatewayPort,
                                @Min(1) int maxPerUser) {
}
