package org.lodge.provisioning.backup;

import java.time.Instant;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * The backup schedules' clock, on Quartz's clustered JDBC store: one instance of the cluster
 * dispatches at a time, every {@code lodge.backup.dispatch-interval}. Misfires (the whole
 * cluster down) fire once at the next start; overdue units then get one backup each.
 */
@DisallowConcurrentExecution
public class BackupDispatch extends QuartzJobBean {

    private static final Logger log = LoggerFactory.getLogger(BackupDispatch.class);

    private final BackupScheduler scheduler;

    public BackupDispatch(BackupScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        int queued = scheduler.dispatch(Instant.now());
        if (queued > 0) {
            log.info("queued {} scheduled backup(s)", queued);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob backupDispatchSchedule(BackupProperties props) {
            return ClusteredJob.every("backup-dispatch", BackupDispatch.class, props.dispatchInterval());
        }
    }
}
