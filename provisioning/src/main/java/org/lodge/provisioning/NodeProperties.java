package org.lodge.provisioning;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** This process's node: where its jails live and the network they get addresses on. */
@Validated
@ConfigurationProperties("lodge.node")
public record NodeProperties(@NotBlank String name, @NotBlank String lxcUri, @NotBlank String storageDir,
                             @NotBlank String mountDir,
                             @NotBlank String storagePool, @NotBlank String templateDir, @Min(16) int jailMemoryMib,
                             @Valid @NotNull Network network) {

    public record Network(@NotBlank String name, @NotBlank String cidr, @NotBlank String gateway,
                          @NotBlank String rangeStart, @NotBlank String rangeEnd) {
    }
}
