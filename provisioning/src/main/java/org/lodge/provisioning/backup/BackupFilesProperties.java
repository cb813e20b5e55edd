package org.lodge.provisioning.backup;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Single file and folder restores and downloads from a jail backup (docs/backups.md): at most
 * {@code maxPaths} paths per request; a download's files (before compression) and its archive at
 * most {@code maxDownload}, since the archive is kept in PostgreSQL for the portal to stream; an
 * archive is kept {@code keepDownload}, then deleted.
 */
@Validated
@ConfigurationProperties("lodge.backup.files")
public record BackupFilesProperties(@Min(1) @Max(1000) int maxPaths, @NotNull DataSize maxDownload,
                                    @NotNull Duration keepDownload) {
}
