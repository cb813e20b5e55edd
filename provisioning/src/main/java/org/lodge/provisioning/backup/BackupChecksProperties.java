package org.lodge.provisioning.backup;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Checks of a backup just taken (docs/backups.md, "Suspiciously small"): a backup whose size (the
 * bytes restic read) is below {@code smallRatio} times the unit's used space at that point in
 * time ends KO; units that use less than {@code smallFrom} are not judged (there the filesystem's
 * own metadata, journal included, is most of the used space). {@code smallRatio} 0 turns it off.
 */
@Validated
@ConfigurationProperties("lodge.backup.checks")
public record BackupChecksProperties(@DecimalMin("0.0") @DecimalMax("1.0") double smallRatio,
                                     @NotNull DataSize smallFrom) {
}
