package org.lodge.provisioning.unit;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How often the worker compares its units with libvirt ({@code interval}), and how often each
 * running unit's disk use is read again ({@code diskUseInterval}): disk use changes slowly and
 * costs a file-system call per unit, so each cycle reads only its share of the units.
 */
@Validated
@ConfigurationProperties("lodge.worker.state-sync")
public record StateSyncProperties(@NotNull Duration interval, @NotNull Duration diskUseInterval) {
}
