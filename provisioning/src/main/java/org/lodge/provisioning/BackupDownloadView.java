package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A {@code tar.zst} archive of files from a jail backup, built by its job, downloadable until {@code expiresAt}. */
public record BackupDownloadView(UUID jobId, UUID backupId, String fileName, long sizeBytes, String sha256,
                                 Instant createdAt, Instant expiresAt) {
}
