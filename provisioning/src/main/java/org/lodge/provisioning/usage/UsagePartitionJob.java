package org.lodge.provisioning.usage;

import java.time.Instant;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Partitions made ahead and dropped past retention, on Quartz's clustered store, by default
 * hourly (and once at start, so a fresh database has today's partitions before the first sample).
 */
@DisallowConcurrentExecution
public class UsagePartitionJob extends QuartzJobBean {

    private final UsagePartitions partitions;

    public UsagePartitionJob(UsagePartitions partitions) {
        this.partitions = partitions;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        Instant now = Instant.now();
        partitions.ensure(now);
        partitions.dropExpired(now);
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob usagePartitionSchedule(UsageProperties props) {
            return ClusteredJob.cron("usage-partitions", UsagePartitionJob.class, props.partitionCron(), Misfire.FIRE_ONCE);
        }

        @EventListener(ApplicationReadyEvent.class)
        void atStart(ApplicationReadyEvent ready) {
            ready.getApplicationContext().getBean(UsagePartitions.class).ensure(Instant.now());
        }
    }
}
