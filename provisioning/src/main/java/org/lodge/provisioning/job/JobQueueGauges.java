package org.lodge.provisioning.job;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The queue as the database holds it, so every process (portal or worker) reports the same
 * figures: jobs waiting to be claimed and jobs running. One count per scrape each.
 */
@Component
public class JobQueueGauges implements MeterBinder {

    private final JdbcClient jdbc;

    public JobQueueGauges(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("lodge.jobs.queued", () -> count("ENQUEUED")).description("Jobs waiting for a worker")
                .register(registry);
        Gauge.builder("lodge.jobs.running", () -> count("RUNNING")).description("Jobs being run by a worker")
                .register(registry);
    }

    private long count(String state) {
        return jdbc.sql("select count(*) from provisioning_job where state = :s").param("s", state)
                .query(Long.class).single();
    }
}
