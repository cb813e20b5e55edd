package org.lodge.provisioning.backup.vm;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The guest-agent freeze around the start of a running VM's backup (docs/backups.md, "Consistency"):
 * on unless {@code enabled} is false; {@code timeout} bounds each of libvirt's agent calls (freeze,
 * thaw) for a guest whose agent does not answer.
 */
@Validated
@ConfigurationProperties("lodge.backup.vm-freeze")
public record VmFreezeProperties(boolean enabled, @NotNull Duration timeout) {
}
