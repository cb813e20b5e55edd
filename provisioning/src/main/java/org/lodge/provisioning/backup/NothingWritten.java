package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * The first step of a jail backup: when nothing was written to the jail's filesystem since its
 * last backup, and that backup is verified, the new backup is that backup's restic snapshot,
 * verified by it, in well under a second: no freeze, no copy, no restic ({@link JailWrites}: the
 * same mounted filesystem, its write counter where it stood just after that backup's freeze).
 * The steps that would capture, back up, judge and verify are then passed over
 * ({@link UnlessNothingWritten}). Any doubt (another mount, a restarted jail, a reboot, a moved
 * counter, a last backup not verified or gone, a tenant over its quota) and the backup runs as always.
 */
@Component
public class NothingWritten extends UnitStep {

    private final Backups backups;
    private final ResticRepository restic;
    private final JailWrites writes;
    private final BackupQuotas quotas;

    public NothingWritten(UnitRepository units, Backups backups, ResticRepository restic, JailWrites writes,
                          BackupQuotas quotas) {
        super(units);
        this.backups = backups;
        this.restic = restic;
        this.writes = writes;
        this.quotas = quotas;
    }

    @Override
    public String name() {
        return "nothing-written";
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        if (jail.kind() != UnitKind.JAIL) {
            throw new IllegalStateException(jail.domain() + " is not a jail");
        }
        backups.begin(ctx.jobId(), jail, restic.location(), Instant.now());
        Optional<Backups.Verified> last = backups.lastIfVerified(jail.id(), restic.location(), ctx.jobId());
        if (last.isEmpty() || last.get().writeKbytes() == null) {
            ctx.log("no verified last backup with the write counter of its freeze: the backup runs");
            return;
        }
        Backups.Verified parent = last.get();
        if (overQuota(jail)) {
            ctx.log("the tenant's last measured backup use is over its quota: the backup runs and is judged");
            return;
        }
        Optional<JailWrites.Mark> now = writes.now(jail);
        if (now.isEmpty() || !now.get().identity().equals(parent.mountIdentity())) {
            ctx.log(JobWords.MOUNTED_AGAIN.with(parent.takenAt().toString()));
            return;
        }
        long written = now.get().writeKbytes() - parent.writeKbytes();
        if (written != 0) {
            ctx.log(JobWords.WRITTEN_SINCE.with(written, parent.takenAt().toString()));
            return;
        }
        backups.nothingWrittenSince(ctx.jobId(), parent.id());
        ctx.log(JobWords.NOTHING_WRITTEN.with(parent.takenAt().toString(), parent.snapshotId(),
                String.valueOf(parent.verifiedAt())));
    }

    private boolean overQuota(UnitEntity jail) {
        var usage = quotas.usage(jail.tenantId());
        return usage.quotaBytes() != null && usage.usedBytes() > usage.quotaBytes();
    }

    @Override
    public void compensate(JobContext ctx) {
        backups.failed(ctx.jobId());
    }
}
