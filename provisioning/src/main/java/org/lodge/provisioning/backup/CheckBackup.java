package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.Phrase;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;

/**
 * A backup just taken (jail or VM), judged before it is verified: suspiciously small against the
 * unit's used space at that point in time (what the capture holds, {@link CapturedTree#usedBytes}),
 * or over its tenant's quota (the deduplicated size of the tenant's snapshots, {@code restic stats
 * --mode raw-data}). Either ends the backup KO with the reason; its own snapshot leaves the
 * repository, no other backup is touched.
 */
public class CheckBackup extends CaptureStep {

    private final BackupQuotas quotas;
    private final BackupChecksProperties checks;

    CheckBackup(UnitRepository units, CapturedTree captured, ResticRepository restic, Backups backups,
                BackupQuotas quotas, BackupChecksProperties checks) {
        super(units, captured, restic, backups);
        this.quotas = quotas;
        this.checks = checks;
    }

    @Override
    public String name() {
        return "check-size";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(30);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity unit = unit(ctx);
        BackupView backup = taken(ctx.jobId());
        judge(unit.tenantId(), unit.id(), backup, captured.usedBytes(unit), ctx::log);
    }

    /**
     * Judges the backup taken from a filesystem with {@code used} bytes in use; throws with the
     * reason (the backup's own snapshot removed, the reason on its row) when it is refused.
     */
    void judge(UUID tenantId, UUID unitId, BackupView backup, long used, Consumer<String> log) throws IOException {
        long size = backup.sizeBytes() == null ? 0 : backup.sizeBytes();
        Optional<Phrase> small = smallReason(size, used, checks);
        if (small.isPresent()) {
            refuse(tenantId, unitId, backup, small.get(), log);
        }
        log.accept("size " + mib(size) + " read from " + mib(used) + " in use in the captured unit: not suspiciously small");
        List<String> ids = quotas.snapshots(tenantId, restic.location());
        List<String> others = ids.stream().filter(id -> !id.equals(backup.snapshotId())).toList();
        // Unchanged against a parent the last measure covered: the same blobs, the same size.
        Optional<Long> same = backups.unchangedFrom(backup.id()).filter(others::contains)
                .flatMap(parent -> quotas.measuredOver(tenantId, restic.location(), others));
        long here = same.isPresent() ? same.get() : restic.rawDataSize(ids);
        long total = here + quotas.usedElsewhere(tenantId, restic.location());
        Optional<Long> quota = quotas.quotaOf(tenantId);
        if (quota.isPresent() && total > quota.get()) {
            refuse(tenantId, unitId, backup, BackupReason.OVER_QUOTA.with(total / 1048576.0, quota.get() / 1048576.0), log);
        }
        quotas.measured(tenantId, restic.location(), here, ids, Instant.now());
        log.accept("the tenant's backups take " + mib(total) + (same.isPresent()
                ? " (unchanged against its parent snapshot: the last measure over the " + others.size()
                        + " other snapshot(s), no restic stats)"
                : " (restic stats --mode raw-data over " + ids.size() + " snapshot(s))") + quota.map(q -> " of a quota of " + mib(q)).orElse(", no quota"));
    }

    /** The reason to refuse a backup of {@code size} bytes read from a filesystem with {@code used} bytes in use. */
    static Optional<String> suspiciouslySmall(long size, long used, BackupChecksProperties checks) {
        return smallReason(size, used, checks).map(Phrase::words);
    }

    private static Optional<Phrase> smallReason(long size, long used, BackupChecksProperties checks) {
        if (checks.smallRatio() <= 0 || used < checks.smallFrom().toBytes() || size >= checks.smallRatio() * used) {
            return Optional.empty();
        }
        return Optional.of(BackupReason.SUSPICIOUSLY_SMALL.with(size / 1048576.0, used / 1048576.0,
                Math.round(checks.smallRatio() * 100)));
    }

    private void refuse(UUID tenantId, UUID unitId, BackupView backup, Phrase reason, Consumer<String> log)
            throws IOException {
        restic.forget(List.of(backup.snapshotId()), ResticRepository.unitTag(unitId));
        List<String> left = quotas.snapshots(tenantId, restic.location()).stream()
                .filter(id -> !id.equals(backup.snapshotId())).toList();
        quotas.refused(backup.id(), reason);
        quotas.measured(tenantId, restic.location(), restic.rawDataSize(left), left, Instant.now());
        log.accept("snapshot " + backup.snapshotId() + " removed from the repository; no other backup touched");
        throw new IllegalStateException(reason.words());
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}
