package org.lodge.provisioning.backup;

import java.time.Duration;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;

/**
 * A step of a jail backup that is passed over when the backup found nothing written since the
 * last one ({@link NothingWritten}): there is no capture to take, back up, judge, verify or release.
 */
public class UnlessNothingWritten implements Step {

    private final Step step;
    private final Backups backups;

    UnlessNothingWritten(Step step, Backups backups) {
        this.step = step;
        this.backups = backups;
    }

    @Override
    public String name() {
        return step.name();
    }

    @Override
    public Duration timeout() {
        return step.timeout();
    }

    @Override
    public void execute(JobContext ctx) throws Exception {
        if (backups.nothingWritten(ctx.jobId())) {
            ctx.log("passed over: nothing written since the last backup");
        } else {
            step.execute(ctx);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws Exception {
        step.compensate(ctx);
    }
}
