package org.lodge.provisioning.usage;

import java.time.Instant;
import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
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
        JobDetail usageRollupDetail() {
            return JobBuilder.newJob(UsageRollupJob.class).withIdentity("usage-rollup", "lodge").storeDurably().build();
        }

        @Bean
        Trigger usageRollupTrigger(JobDetail usageRollupDetail, UsageProperties props) {
            // A missed run needs no replay: the next one catches up from the marks.
            return TriggerBuilder.newTrigger().forJob(usageRollupDetail).withIdentity("usage-rollup", "lodge")
                    .withSchedule(CronScheduleBuilder.cronSchedule(props.rollupCron())
                            .withMisfireHandlingInstructionDoNothing())
                    .build();
        }
    }
}
