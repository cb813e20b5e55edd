package org.lodge.provisioning.backup;

import java.time.Duration;
import java.util.UUID;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;

/** A backup step that works on the unit's capture ({@link CapturedTree}) and its row, with restic. */
abstract class CaptureStep extends UnitStep {

    protected final CapturedTree captured;
    protected final ResticRepository restic;
    protected final Backups backups;

    CaptureStep(UnitRepository units, CapturedTree captured, ResticRepository restic, Backups backups) {
        super(units);
        this.captured = captured;
        this.restic = restic;
        this.backups = backups;
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    /** The job's backup row, which must have its snapshot. */
    protected BackupView taken(UUID jobId) {
        BackupView backup = backups.find(jobId).orElseThrow();
        if (backup.snapshotId() == null) {
            throw new IllegalStateException("the backup has no snapshot");
        }
        return backup;
    }
}
