package org.lodge.provisioning.quartz;

import java.time.Duration;
import java.time.ZoneId;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.ScheduleBuilder;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

/**
 * A recurring job on Quartz's clustered JDBC store, declared as one bean and registered by
 * {@link ClusteredJobRegistration}: a durable job and its one trigger, both called {@code name}
 * in the group {@value #GROUP}. The store keeps names, schedules and misfire instructions in its
 * {@code qrtz_} tables, so a renamed job would leave an orphan row in every existing database: a
 * name, once used, stays.
 */
public record ClusteredJob(String name, Class<? extends Job> type, ScheduleBuilder<? extends Trigger> schedule) {

    public static final String GROUP = "lodge";

    /** What a cron trigger does about firings missed while the whole cluster was down. */
    public enum Misfire {
        /** Fires once as soon as the cluster is back, then on schedule: for runs that must not be lost. */
        FIRE_ONCE,
        /** Skips them: the next firing on schedule does the work. */
        SKIP
    }

    /** Every {@code interval}, forever; a missed firing is skipped and the next comes on schedule. */
    public static ClusteredJob every(String name, Class<? extends Job> type, Duration interval) {
        return new ClusteredJob(name, type, SimpleScheduleBuilder.simpleSchedule()
                .withIntervalInMilliseconds(interval.toMillis()).repeatForever()
                .withMisfireHandlingInstructionNextWithRemainingCount());
    }

    /** On a Quartz cron expression, in the JVM's time zone. */
    public static ClusteredJob cron(String name, Class<? extends Job> type, String expression, Misfire misfire) {
        return new ClusteredJob(name, type, withMisfire(CronScheduleBuilder.cronSchedule(expression), misfire));
    }

    /** On a Quartz cron expression in {@code zone}. */
    public static ClusteredJob cron(String name, Class<? extends Job> type, String expression, ZoneId zone,
                                    Misfire misfire) {
        return new ClusteredJob(name, type, withMisfire(CronScheduleBuilder.cronSchedule(expression)
                .inTimeZone(TimeZone.getTimeZone(zone)), misfire));
    }

    /** Durable: the job stays in the store while no trigger points at it. */
    public JobDetail detail() {
        return JobBuilder.newJob(type).withIdentity(name, GROUP).storeDurably().build();
    }

    public Trigger trigger() {
        return TriggerBuilder.newTrigger().forJob(name, GROUP).withIdentity(name, GROUP).withSchedule(schedule).build();
    }

    private static CronScheduleBuilder withMisfire(CronScheduleBuilder cron, Misfire misfire) {
        return switch (misfire) {
            case FIRE_ONCE -> cron.withMisfireHandlingInstructionFireAndProceed();
            case SKIP -> cron.withMisfireHandlingInstructionDoNothing();
        };
    }
}
