package org.lodge.provisioning.backup;

import java.io.IOException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;
import org.springframework.stereotype.Component;

/**
 * The last step of a backup: the retention of the unit's policy ({@link BackupRetention}, the
 * newest verified and the protected backups always kept). What it does not keep leaves the
 * repository ({@code restic forget --prune}) and then the list. A failure here leaves every backup
 * in place and the job OK (the backup just taken is good); the next backup prunes again.
 */
@Component
public class ApplyRetention implements Step {

    private final BackupScheduler scheduler;
    private final Backups backups;
    private final BackupRemoval removal;

    public ApplyRetention(BackupScheduler scheduler, Backups backups, BackupRemoval removal) {
        this.scheduler = scheduler;
        this.backups = backups;
        this.removal = removal;
    }

    @Override
    public String name() {
        return "retention";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(1);
    }

    @Override
    public void execute(JobContext ctx) {
        UUID unitId = ctx.unitId();
        Optional<BackupRetention.Policy> policy = scheduler.retention(unitId);
        if (policy.isEmpty()) {
            ctx.log("no backup policy for the unit: every backup is kept");
            return;
        }
        List<BackupRetention.Verdict> verdicts = BackupRetention.decide(backups.retentionCandidates(unitId),
                policy.get(), ZoneId.systemDefault());
        List<BackupRetention.Verdict> removed = verdicts.stream().filter(v -> !v.keep()).toList();
        String rules = policy.get().describe();
        if (removed.isEmpty()) {
            ctx.log("retention (" + rules + ") keeps all " + verdicts.size() + " backups");
            return;
        }
        List<BackupView> gone = removed.stream().map(v -> backups.find(v.id()).orElseThrow()).toList();
        try {
            removal.remove(unitId, gone);
        } catch (IOException | RuntimeException e) {
            ctx.log("retention not applied, every backup kept (the next backup tries again): " + e.getMessage());
            return;
        }
        for (int i = 0; i < gone.size(); i++) {
            ctx.log("removed the backup of " + gone.get(i).takenAt() + " (" + removed.get(i).reason() + ")");
        }
        ctx.log("retention (" + rules + ") kept " + (verdicts.size() - removed.size()) + " backups, removed "
                + removed.size());
    }
}
