package org.lodge.provisioning.backup;

import java.util.List;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.quartz.QuartzJobBean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The weekly re-verification's clock (clustered Quartz, {@code lodge.backup.reverify-cron}):
 * queues one VERIFY_BACKUPS job on every node that holds verified backups. The idempotency key
 * names the firing, so two instances of the cluster cannot queue the same week twice.
 */
@DisallowConcurrentExecution
public class ReverifySchedule extends QuartzJobBean {

    private final JdbcClient jdbc;
    private final JobQueue queue;
    private final TransactionTemplate tx;

    public ReverifySchedule(JdbcClient jdbc, JobQueue queue, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.queue = queue;
        this.tx = tx;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        queueAll(context.getScheduledFireTime().toInstant().toEpochMilli());
    }

    /** One VERIFY_BACKUPS per node with verified backups; {@code run} tells this firing from the others. */
    public void queueAll(long run) {
        List<String> nodes = jdbc.sql("select distinct node_name from backup where verified order by 1")
                .query(String.class).list();
        for (String node : nodes) {
            try {
                tx.executeWithoutResult(status -> queue.enqueue(JobKind.VERIFY_BACKUPS, node, null, null, "node " + node,
                        "{}", "reverify:" + node + ":" + run, "schedule"));
            } catch (DataIntegrityViolationException alreadyQueued) {
                // Another instance of the cluster took this firing.
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob backupReverifySchedule(BackupProperties props) {
            return ClusteredJob.cron("backup-reverify", ReverifySchedule.class, props.reverifyCron(), Misfire.FIRE_ONCE);
        }
    }
}
