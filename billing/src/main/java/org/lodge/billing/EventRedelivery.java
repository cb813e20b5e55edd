package org.lodge.billing;

import java.time.Duration;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.CompletedEventPublications;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Delivers again the unit events whose listener has not completed after 10 minutes: it failed
 * (e.g. no plan for the unit yet), or the process died between the publishing commit and the
 * delivery. Besides this, each start resubmits every outstanding one
 * ({@code spring.modulith.events.republish-outstanding-events-on-restart}). Listeners are idempotent.
 * Completed publications are kept a week (for inspection), then deleted.
 */
@DisallowConcurrentExecution
public class EventRedelivery extends QuartzJobBean {

    static final Duration OLDER_THAN = Duration.ofMinutes(10);
    static final Duration KEEP_COMPLETED = Duration.ofDays(7);

    private final IncompleteEventPublications incomplete;
    private final CompletedEventPublications completed;

    public EventRedelivery(IncompleteEventPublications incomplete, CompletedEventPublications completed) {
        this.incomplete = incomplete;
        this.completed = completed;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        incomplete.resubmitIncompletePublicationsOlderThan(OLDER_THAN);
        completed.deletePublicationsOlderThan(KEEP_COMPLETED);
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob eventRedeliverySchedule() {
            return ClusteredJob.every("event-redelivery", EventRedelivery.class, Duration.ofMinutes(5));
        }
    }
}
