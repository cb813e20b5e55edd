package org.lodge.provisioning.quartz;

import java.util.List;
import java.util.stream.Stream;
import org.quartz.JobDetail;
import org.quartz.Trigger;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.quartz.SchedulerFactoryBeanCustomizer;
import org.springframework.scheduling.quartz.SchedulerFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Gives Quartz the job and trigger of every {@link ClusteredJob} bean. Spring Boot hands it the
 * {@code JobDetail} and {@code Trigger} beans before the customizers run, and the factory takes
 * only whole lists, so any such beans are passed along with ours.
 */
@Component
class ClusteredJobRegistration implements SchedulerFactoryBeanCustomizer {

    private final ObjectProvider<ClusteredJob> jobs;
    private final ObjectProvider<JobDetail> details;
    private final ObjectProvider<Trigger> triggers;

    ClusteredJobRegistration(ObjectProvider<ClusteredJob> jobs, ObjectProvider<JobDetail> details,
                             ObjectProvider<Trigger> triggers) {
        this.jobs = jobs;
        this.details = details;
        this.triggers = triggers;
    }

    @Override
    public void customize(SchedulerFactoryBean scheduler) {
        List<ClusteredJob> clustered = jobs.orderedStream().toList();
        scheduler.setJobDetails(Stream.concat(details.orderedStream(), clustered.stream().map(ClusteredJob::detail))
                .toArray(JobDetail[]::new));
        scheduler.setTriggers(Stream.concat(triggers.orderedStream(), clustered.stream().map(ClusteredJob::trigger))
                .toArray(Trigger[]::new));
    }
}
