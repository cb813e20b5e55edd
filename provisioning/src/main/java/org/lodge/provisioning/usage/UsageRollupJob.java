package org.lodge.provisioning.usage;

import java.time.Instant;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** The roll-ups on Quartz's clustered store (one instance fires them), by default every five minutes. */
@DisallowConcurrentExecution
public class UsageRollupJob extends QuartzJobBean {

    private final UsageRollups rollups;

    public UsageRollupJob(UsageRollups rollups) {
        this.rollups = rollups;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        rollups.rollUp(Instant.now());
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob usageRollupSchedule(UsageProperties props) {
            // A missed run needs no replay: the next one catches up from the marks.
            return ClusteredJob.cron("usage-rollup", UsageRollupJob.class, props.rollupCron(), Misfire.SKIP);
        }
    }
}
