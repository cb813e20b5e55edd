package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Path;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;

/**
 * A backup counts only once proven: {@code restic check} reads the repository's structure and a
 * share of its data, then the snapshot is restored to a scratch directory and proven against the
 * capture it was read from ({@link CapturedTree#proveRestored}: a jail's tree entry by entry, a
 * VM's image by {@code qemu-img check} and its SHA-256).
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
