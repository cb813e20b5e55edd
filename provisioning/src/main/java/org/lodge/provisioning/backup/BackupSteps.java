package org.lodge.provisioning.backup;

import org.lodge.provisioning.job.Step;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.stereotype.Component;

/**
 * Builds the backup steps shared by jails and VMs for one kind of capture ({@link CapturedTree}):
 * restic-backup, check-size, verify and the release of the capture. One class per step, told
 * where the captured tree lives, instead of a copy per kind of unit.
 */
@Component
public class BackupSteps {

    private final UnitRepository units;
    private final ResticRepository restic;
    private final Backups backups;
    private final BackupQuotas quotas;
    private final BackupChecksProperties checks;

    public BackupSteps(UnitRepository units, ResticRepository restic, Backups backups, BackupQuotas quotas,
                       BackupChecksProperties checks) {
        this.units = units;
        this.restic = restic;
        this.backups = backups;
        this.quotas = quotas;
        this.checks = checks;
    }

    public BackupToRestic backup(CapturedTree tree) {
        return new BackupToRestic(units, tree, restic, backups);
    }

    public CheckBackup check(CapturedTree tree) {
        return new CheckBackup(units, tree, restic, backups, quotas, checks);
    }

    public VerifyBackup verify(CapturedTree tree) {
        return new VerifyBackup(units, tree, restic, backups);
    }

    /** {@code step}, passed over when the backup found nothing written since the last one ({@link NothingWritten}). */
    public UnlessNothingWritten unlessNothingWritten(Step step) {
        return new UnlessNothingWritten(step, backups);
    }

    /** The last step of a backup: the capture released, under the step name and log line given. */
    public ReleaseCopy release(CapturedTree tree, String stepName, String released) {
        return new ReleaseCopy(units, tree, stepName, released);
    }
}
