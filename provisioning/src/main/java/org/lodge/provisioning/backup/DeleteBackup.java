package org.lodge.provisioning.backup;

import java.time.Duration;
import java.util.UUID;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;
import org.springframework.stereotype.Component;

/**
 * The one step of {@code DELETE_BACKUP}: a backup staff chose leaves the node's repository and the
 * list, by the same removal as retention and expiry ({@link BackupRemoval}). A revived job whose
 * backup is already gone ends OK; one protected since it was asked is refused here too.
 */
@Component
public class DeleteBackup implements Step {

    private final BackupRemoval removal;

    public DeleteBackup(BackupRemoval removal) {
        this.removal = removal;
    }

    @Override
    public String name() {
        return "forget-snapshot";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(1);
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        removal.removeOne(ctx.unitId(), UUID.fromString(ctx.params().path("backup").asText()), ctx::log);
    }
}
