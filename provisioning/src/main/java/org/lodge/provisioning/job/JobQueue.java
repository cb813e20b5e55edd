package org.lodge.provisioning.job;

import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Puts a job on the queue, with its first transition and log line, in the caller's transaction. */
@Component
public class JobQueue {

    private static final int MAX_ATTEMPTS = 3;

    private final JobRepository jobs;
    private final JobStore store;

    public JobQueue(JobRepository jobs, JobStore store) {
        this.jobs = jobs;
        this.store = store;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public JobEntity enqueue(JobKind kind, String node, UUID tenantId, UUID unitId, String unitLabel, String params,
                             String idempotencyKey, String actor) {
        JobEntity job = jobs.saveAndFlush(new JobEntity(kind, node, tenantId, unitId, unitLabel, params,
                idempotencyKey == null ? UUID.randomUUID().toString() : idempotencyKey, MAX_ATTEMPTS, actor));
        store.announceEnqueued(job.id(), node, "queued by " + actor, JobWords.QUEUED.with(kind, unitLabel, actor, node));
        return job;
    }
}
