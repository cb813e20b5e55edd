package org.lodge.provisioning.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerProperties;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.TransientStepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.retry.support.RetryTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The worker: claims this node's jobs and runs their steps in order, each with a timeout and
 * retries for transient failures; on a failure it compensates the steps already run, in
 * reverse, and ends KO.
 */
@Component
@WorkerRole
public class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore store;
    private final JobLogWriter lines;
    private final Map<JobKind, JobPlan> plans = new EnumMap<>(JobKind.class);
    private final ObjectMapper json;
    private final WorkerProperties props;
    private final String node;
    private final String workerId;
    private final ExecutorService jobThreads;
    private final ExecutorService stepThreads = Executors.newCachedThreadPool();
    private final RunningAttempts attempts = new RunningAttempts(stepThreads);
    private final Semaphore slots;
    private final RetryTemplate retry;
    private final JobMetrics metrics;
    private volatile boolean stopping;

    public JobRunner(JobStore store, JobLogWriter lines, List<JobPlan> plans, ObjectMapper json,
                     WorkerProperties props, NodeProperties node, JobMetrics metrics) {
        this.store = store;
        this.lines = lines;
        this.metrics = metrics;
        plans.forEach(plan -> this.plans.put(plan.kind(), plan));
        this.json = json;
        this.props = props;
        this.node = node.name();
        this.workerId = node.name() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.jobThreads = Executors.newFixedThreadPool(props.concurrency());
        this.slots = new Semaphore(props.concurrency());
        this.retry = RetryTemplate.builder()
                .maxAttempts(props.retryAttempts())
                .exponentialBackoff(props.retryInitialBackoff(), 2, props.retryInitialBackoff().multipliedBy(10))
                .retryOn(TransientStepException.class)
                .traversingCauses()
                .build();
    }

    public String workerId() {
        return workerId;
    }

    /** Claims as many due jobs as there are free slots; also called on a NOTIFY from the queue. */
    @Scheduled(fixedDelayString = "${lodge.worker.poll-interval}")
    public void poll() {
        while (!stopping && slots.tryAcquire()) {
            Optional<ClaimedJob> claimed = store.claim(node, workerId);
            if (claimed.isEmpty()) {
                slots.release();
                return;
            }
            ClaimedJob job = claimed.get();
            jobThreads.submit(() -> {
                try {
                    run(job);
                } catch (RuntimeException e) {
                    log.error("job {} failed in the engine", job.id(), e);
                } finally {
                    slots.release();
                    // A slot is free: take the next waiting job now rather than at the next poll.
                    poll();
                }
            });
        }
    }

    /**
     * Beats for this worker's jobs; an attempt whose job no longer answers to it (revived and
     * taken up again) has its running step interrupted now, not at its next step.
     */
    @Scheduled(fixedDelayString = "${lodge.worker.heartbeat-interval}")
    public void heartbeat() {
        List<RunningAttempts.Attempt> before = attempts.snapshot();
        attempts.loseAllBut(before, store.heartbeat(workerId));
    }

    void run(ClaimedJob job) {
        RunningAttempts.Attempt current = attempts.begin(job.id(), job.attempt());
        try {
            run(job, current);
        } finally {
            // Whichever way the attempt ended (taken over, interrupted), its last lines are in the log.
            lines.flush();
            attempts.end(current);
        }
    }

    private void run(ClaimedJob job, RunningAttempts.Attempt current) {
        UUID jobId = job.id();
        JobPlan plan = plans.get(job.kind());
        JobContext ctx = new JobContext(job, lines, json);
        if (plan == null) {
            ctx.error(JobWords.NO_PLAN.with(job.kind()));
            finish(ctx, JobState.RUNNING, JobState.KO, "no plan for " + job.kind());
            return;
        }
        List<Step> steps = plan.steps();
        int attempt = job.attempt();
        if (job.compensateOnly()) {
            ctx.warn(JobWords.COMPENSATION_ONLY.with(attempt));
            lines.flush();
            if (store.transitionAttempt(jobId, attempt, JobState.RUNNING, JobState.COMPENSATING, "compensation only")) {
                if (compensate(ctx, steps, current)) {
                    finish(ctx, JobState.COMPENSATING, JobState.KO, "worker lost; compensated");
                }
            } else {
                takenOver(ctx);
            }
            return;
        }
        ctx.log(JobWords.ATTEMPT.with(attempt, workerId, steps.size()));
        List<Step> done = new ArrayList<>();
        long jobStarted = System.nanoTime();
        for (Step step : steps) {
            ctx.enter(step.name());
            ctx.share(step.onlyReadsUnit());
            // Only the ownership check waits: the lines logged so far travel meanwhile, in order.
            if (!store.enterStep(jobId, attempt, step.name())) {
                takenOver(ctx);
                return;
            }
            long started = System.nanoTime();
            try {
                if (Duration.ofNanos(started - jobStarted).compareTo(props.jobTimeout()) > 0) {
                    throw new StepTimeoutException("the job exceeded its timeout of " + props.jobTimeout().toSeconds() + " s");
                }
                retry.execute(retryContext -> {
                    if (retryContext.getRetryCount() > 0) {
                        metrics.retried(job.kind(), step.name());
                        ctx.warn(JobWords.RETRY.with(retryContext.getRetryCount())
                                .detail(retryContext.getLastThrowable().getMessage()));
                    }
                    current.call(() -> step.execute(ctx), step.timeout(), step.name());
                    return null;
                });
            } catch (Throwable e) {
                metrics.step(job.kind(), step.name(), false, Duration.ofNanos(System.nanoTime() - started));
                String error = describe(e);
                if (current.lost()) {
                    ctx.warn(JobWords.INTERRUPTED.with().detail(error));
                    takenOver(ctx);
                    return;
                }
                ctx.error(JobWords.FAILED.with().detail(error));
                lines.flush();
                if (!store.transitionAttempt(jobId, attempt, JobState.RUNNING, JobState.COMPENSATING,
                        step.name() + " failed")) {
                    // The newer attempt redoes every step; undoing ours would undo its work.
                    takenOver(ctx);
                    return;
                }
                store.lastError(jobId, step.name() + ": " + error);
                done.add(step);
                if (compensate(ctx, done, current)) {
                    finish(ctx, JobState.COMPENSATING, JobState.KO, step.name() + " failed: " + error);
                }
                return;
            }
            done.add(step);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            metrics.step(job.kind(), step.name(), true, took);
            ctx.log(JobWords.STEP_DONE.with(took.toMillis()));
        }
        finish(ctx, JobState.RUNNING, JobState.OK, "all steps done");
    }

    /** Undoes {@code done} in reverse; false when it stopped because the job was taken up again. */
    private boolean compensate(JobContext ctx, List<Step> done, RunningAttempts.Attempt current) {
        List<Step> reversed = new ArrayList<>(done);
        Collections.reverse(reversed);
        for (Step step : reversed) {
            if (current.lost()) {
                takenOver(ctx);
                return false;
            }
            ctx.enter(step.name());
            ctx.share(false);
            try {
                retry.execute(attempt -> {
                    current.call(() -> step.compensate(ctx), step.timeout(), step.name() + " compensation");
                    return null;
                });
                ctx.log(JobWords.COMPENSATED.with());
            } catch (Throwable e) {
                if (current.lost()) {
                    ctx.warn(JobWords.INTERRUPTED.with().detail(describe(e)));
                } else {
                    // Keep undoing the rest; the log says what may be left behind.
                    ctx.error(JobWords.COMPENSATION_FAILED.with().detail(describe(e)));
                }
            }
        }
        return true;
    }

    private void finish(JobContext ctx, JobState from, JobState to, String reason) {
        ctx.enter("engine");
        if (to == JobState.OK) {
            ctx.log(JobWords.EXIT_OK.with());
        } else {
            ctx.error(JobWords.EXIT_KO.with().detail(reason));
        }
        lines.flush();
        if (store.transitionAttempt(ctx.jobId(), ctx.attempt(), from, to, reason)) {
            metrics.ended(ctx.kind(), to);
        } else {
            takenOver(ctx);
        }
    }

    /**
     * The sweeper revived this job while this attempt still ran (its heartbeat came too late,
     * e.g. an overloaded node): the newer attempt owns the job, this one stops where it is.
     */
    private static void takenOver(JobContext ctx) {
        ctx.warn(JobWords.TAKEN_OVER.with(ctx.attempt()));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        jobThreads.shutdown();
        jobThreads.awaitTermination(30, TimeUnit.SECONDS);
        stepThreads.shutdownNow();
    }

    static final class StepTimeoutException extends Exception {
        StepTimeoutException(String message) {
            super(message);
        }
    }
}
