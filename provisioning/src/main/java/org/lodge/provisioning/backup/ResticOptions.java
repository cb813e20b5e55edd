package org.lodge.provisioning.backup;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What Lodge passes to {@code restic backup} (docs/backups.md, "Throughput"): {@code compression}
 * ({@code auto}, restic's default; {@code off} made a full backup of the 1 GiB benchmark 2.3 times
 * faster here for a 1.8 times larger repository; {@code max}) and the target pack size in MiB
 * (null: restic's own, 16 MiB in 0.14).
 */
@Validated
@ConfigurationProperties("lodge.backup.restic")
public record ResticOptions(@DefaultValue("auto") @Pattern(regexp = "auto|off|max") String compression,
                            @Min(4) @Max(128) Integer packSize) {

    /** restic's own defaults. */
    public static final ResticOptions DEFAULTS = new ResticOptions("auto", null);
}
