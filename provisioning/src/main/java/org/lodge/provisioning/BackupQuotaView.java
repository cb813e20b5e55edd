package org.lodge.provisioning;

import java.time.Instant;

/**
 * A tenant's backup quota ({@code quotaBytes} null: none) and what its backups take, deduplicated,
 * as restic measured after the last backup ({@code measuredAt} null: never measured).
 */
public record BackupQuotaView(Long quotaBytes, long usedBytes, int snapshots, Instant measuredAt) {
}
