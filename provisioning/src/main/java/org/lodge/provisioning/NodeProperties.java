package org.lodge.provisioning;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** This process's node: where its jails and VMs live and the network they get addresses on. */
@Validated
@ConfigurationProperties("lodge.node")
public record NodeProperties(@NotBlank String name, @NotBlank String lxcUri, @NotBlank String storageDir,
                             @NotBlank String mountDir,
                             @NotBlank String storagePool, @NotBlank String templateDir, @Min(16) int jailMemoryMib,
                             @Valid @NotNull JailLimits jailLimits,
                             @Valid @NotNull Network network, @Valid @NotNull Vm vm) {

    /**
     * What one jail may take of the node (a node default until plans exist): at most
     * {@code pidsMax} tasks (a fork bomb stops there), a CPU weight against the other jails
     * ({@code cpuShares}, 1024 = the default weight) and a hard ceiling in percent of one core
     * ({@code cpuQuotaPercent}, 200 = two cores).
     */
    public record JailLimits(@Min(16) @Max(65536) int pidsMax, @Min(2) @Max(262144) int cpuShares,
                             @Min(1) @Max(6400) int cpuQuotaPercent) {
    }

    public record Network(@NotBlank String name, @NotBlank String cidr, @NotBlank String gateway,
                          @NotBlank String rangeStart, @NotBlank String rangeEnd) {
    }

    /**
     * VMs: the libvirt URI, the pool of their disks and seeds, the pool of template base images
     * (with each template's kernel, initrd and description under {@code bootDir/<template>/}),
     * the bounds the portal enforces, how long the worker waits for a guest, and the template a
     * new node's catalogue makes its VM default (staff may make another one the default).
     */
    public record Vm(@NotBlank String uri, @NotBlank String storageDir, @NotBlank String storagePool,
                     @NotBlank String templateDir, @NotBlank String templatePool, @NotBlank String bootDir,
                     @Min(1) int maxVcpus, @Min(32) int maxMemoryMib, @Min(32) int defaultMemoryMib,
                     @NotNull Duration bootTimeout, @NotNull Duration shutdownTimeout,
                     @DefaultValue("lodge-test") String defaultTemplate) {
    }
}
