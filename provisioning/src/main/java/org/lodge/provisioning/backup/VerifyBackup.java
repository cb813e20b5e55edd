package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;

/**
 * A backup counts only once proven: {@code restic check} reads the repository's structure and a
 * share of its data, then the snapshot is restored to a scratch directory and proven against the
 * capture it was read from ({@link CapturedTree#proveRestored}: a jail's tree entry by entry, a
 * VM's image by {@code qemu-img check} and its SHA-256). A backup whose root tree is that of a
 * verified backup (restic found it unchanged, {@link BackupToRestic}) is verified by that identity:
 * its test restore would restore the same blobs; a {@code restic check} without reading data
 * proves the repository still holds them, and the weekly re-verification restores it like any other.
 */
public class VerifyBackup extends CaptureStep {

    VerifyBackup(UnitRepository units, CapturedTree captured, ResticRepository restic, Backups backups) {
        super(units, captured, restic, backups);
    }

    @Override
    public String name() {
        return "verify";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity unit = unit(ctx);
        BackupView backup = taken(ctx.jobId());
        Optional<Backups.Verified> same = backups.unchangedFrom(backup.id())
                .flatMap(parent -> backups.verifiedOf(unit.id(), parent));
        if (same.isPresent()) {
            // The same root tree references the same blobs: that backup's test restore restored exactly these.
            restic.checkStructure();
            ctx.log("restic check (structure: every pack the index names present, every snapshot's trees and blobs"
                    + " indexed; no data read): no errors in the repository");
            backups.markVerifiedBy(ctx.jobId(), same.get().id());
            ctx.log(JobWords.SAME_FILES.with(same.get().takenAt().toString(), String.valueOf(same.get().verifiedAt())));
            return;
        }
        restic.check();
        ctx.log("restic check --read-data-subset: no errors in the repository");
        Path restored = JailSnapshots.fresh(captured.verifyDir(unit));
        try {
            restic.restore(backup.snapshotId(), restored);
            ctx.log("test restore of " + backup.snapshotId() + ": "
                    + captured.proveRestored(unit, ctx.jobId(), restored));
        } finally {
            JailSnapshots.deleteTree(restored);
        }
        backups.verified(ctx.jobId());
        ctx.log(JobWords.VERIFIED.with());
    }
}
