package org.lodge.provisioning.job;

import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.WorkerProperties;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Revives jobs whose worker stopped beating (killed, crashed, node lost) and ends jobs that no
 * worker took in time, so no job waits forever. It runs from Quartz's
 * clustered JDBC store, so exactly one portal or worker instance sweeps at a time.
 */
@DisallowConcurrentExecution
public class JobSweeper extends QuartzJobBean {

    private static final Logger log = LoggerFactory.getLogger(JobSweeper.class);

    private final JobStore store;
    private final WorkerProperties props;

    public JobSweeper(JobStore store, WorkerProperties props) {
        this.store = store;
        this.props = props;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        List<UUID> revived = store.reviveStale(props.staleAfter());
        if (!revived.isEmpty()) {
            log.warn("revived {} job(s) of stopped workers: {}", revived.size(), revived);
        }
        store.forgetUnrevealedSecrets(props.secretTtl());
        List<UUID> expired = store.expireUnclaimed(props.queueTimeout());
        if (!expired.isEmpty()) {
            log.error("{} job(s) expired unclaimed: {}", expired.size(), expired);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob jobSweeperSchedule(WorkerProperties props) {
            return ClusteredJob.every("job-sweeper", JobSweeper.class, props.sweepInterval());
        }
    }
}
