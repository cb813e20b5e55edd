package org.lodge.provisioning.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.JobState;
import org.springframework.stereotype.Component;

/**
 * The job engine's figures for operators (Prometheus): jobs ended by kind and outcome, each
 * step's duration by kind, step and outcome, and retries of transient failures. Counted in the
 * worker that runs the job; the queue's depth is read from the database ({@link JobQueueGauges}).
 */
@Component
public class JobMetrics {

    private final MeterRegistry meters;

    public JobMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    public void ended(JobKind kind, JobState outcome) {
        Counter.builder("lodge.jobs.ended").description("Jobs that ended, by kind and outcome")
                .tag("kind", kind.name()).tag("outcome", outcome.name()).register(meters).increment();
    }

    public void step(JobKind kind, String step, boolean ok, Duration took) {
        Timer.builder("lodge.jobs.step").description("Duration of job steps, by kind, step and outcome")
                .tag("kind", kind.name()).tag("step", step).tag("outcome", ok ? "ok" : "failed")
                .register(meters).record(took);
    }

    public void retried(JobKind kind, String step) {
        Counter.builder("lodge.jobs.step.retries").description("Retries of steps after a transient failure")
                .tag("kind", kind.name()).tag("step", step).register(meters).increment();
    }
}
