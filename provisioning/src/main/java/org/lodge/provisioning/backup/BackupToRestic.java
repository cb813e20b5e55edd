package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * restic reads the frozen copy (never the live tree), owners as stored in the image (the jail's
 * shifted uids), tagged with the unit and the job. The snapshot stays unverified until the next step.
 */
@Component
public class BackupToRestic extends UnitStep {

    private final JailSnapshots snapshots;
    private final ResticRepository restic;
    private final Backups backups;

    public BackupToRestic(UnitRepository units, JailSnapshots snapshots, ResticRepository restic, Backups backups) {
        super(units);
        this.snapshots = snapshots;
        this.restic = restic;
        this.backups = backups;
    }

    @Override
    public String name() {
        return "restic-backup";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        if (!JailSnapshots.isMounted(snapshots.tree(jail))) {
            throw new IllegalStateException("the frozen copy is not mounted");
        }
        if (restic.ensureInitialised()) {
            ctx.log("restic repository created at " + restic.location());
        }
        ResticRepository.Summary s = restic.backup(snapshots.tree(jail), jail.nodeName(),
                List.of(ResticRepository.unitTag(jail.id()), "lodge-job=" + ctx.jobId()));
        backups.taken(ctx.jobId(), s);
        ctx.log("restic snapshot " + s.snapshotId() + ": " + s.totalFiles() + " files, " + s.totalBytes()
                + " bytes (" + s.filesNew() + " new, " + s.filesChanged() + " changed, " + s.filesUnmodified()
                + " unchanged), " + s.dataAdded() + " bytes added to the repository, in "
                + String.format(java.util.Locale.ROOT, "%.2f", s.seconds()) + " s");
    }
}
