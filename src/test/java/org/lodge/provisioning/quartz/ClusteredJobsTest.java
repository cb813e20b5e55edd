package org.lodge.provisioning.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quartz.CronTrigger.MISFIRE_INSTRUCTION_DO_NOTHING;
import static org.quartz.CronTrigger.MISFIRE_INSTRUCTION_FIRE_ONCE_NOW;
import static org.quartz.SimpleTrigger.MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.lodge.billing.BillingMailProperties;
import org.lodge.billing.BillingProperties;
import org.lodge.provisioning.WorkerProperties;
import org.lodge.provisioning.alert.AlertProperties;
import org.lodge.provisioning.backup.BackupProperties;
import org.lodge.provisioning.usage.UsageProperties;
import org.lodge.support.PortalOnlyTest;
import org.quartz.CronTrigger;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the clustered JDBC store holds, read back from its tables: every recurring job under the
 * name, group, schedule and misfire instruction it has always had (a renamed one would leave an
 * orphan row in existing databases), durable, with one trigger of the same name.
 */
@PortalOnlyTest
class ClusteredJobsTest {

    /** A trigger as the store keeps it: its schedule (cron expression or interval) and misfire instruction. */
    private record Stored(String schedule, int misfire) {
    }

    @Autowired
    Scheduler scheduler;
    @Autowired
    WorkerProperties worker;
    @Autowired
    AlertProperties alert;
    @Autowired
    UsageProperties usage;
    @Autowired
    BackupProperties backup;
    @Autowired
    BillingProperties billing;
    @Autowired
    BillingMailProperties billingMail;

    @Test
    void everyRecurringJobKeepsItsNameScheduleAndMisfireInstruction() throws Exception {
        Map<String, Stored> expected = new TreeMap<>(Map.of(
                "job-sweeper", every(worker.sweepInterval()),
                "alert-mail", new Stored(alert.cron(), MISFIRE_INSTRUCTION_DO_NOTHING),
                "usage-rollup", new Stored(usage.rollupCron(), MISFIRE_INSTRUCTION_DO_NOTHING),
                "usage-partitions", new Stored(usage.partitionCron(), MISFIRE_INSTRUCTION_FIRE_ONCE_NOW),
                "backup-dispatch", every(backup.dispatchInterval()),
                "backup-reverify", new Stored(backup.reverifyCron(), MISFIRE_INSTRUCTION_FIRE_ONCE_NOW),
                "billing-run", new Stored(billing.runCron(), MISFIRE_INSTRUCTION_FIRE_ONCE_NOW),
                "billing-metering", new Stored("0 3 * * * ?", MISFIRE_INSTRUCTION_FIRE_ONCE_NOW),
                "billing-mail", every(billingMail.sendInterval()),
                "event-redelivery", every(Duration.ofMinutes(5))));

        Set<JobKey> jobs = scheduler.getJobKeys(GroupMatcher.jobGroupEquals("lodge"));
        Map<String, Stored> stored = new TreeMap<>();
        for (JobKey job : jobs) {
            JobDetail detail = scheduler.getJobDetail(job);
            assertThat(detail.isDurable()).as(job + " durable").isTrue();
            assertThat(scheduler.getTriggersOfJob(job)).as(job + " has one trigger of its own name").singleElement()
                    .extracting(Trigger::getKey).isEqualTo(TriggerKey.triggerKey(job.getName(), "lodge"));
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(job.getName(), "lodge"));
            stored.put(job.getName(), stored(trigger));
        }
        assertThat(stored).isEqualTo(expected);
        assertThat(scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals("lodge"))).hasSize(expected.size());
        CronTrigger billingRun = (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("billing-run", "lodge"));
        assertThat(billingRun.getTimeZone()).isEqualTo(TimeZone.getTimeZone(billing.zone()));
        CronTrigger metering = (CronTrigger) scheduler.getTrigger(TriggerKey.triggerKey("billing-metering", "lodge"));
        assertThat(metering.getTimeZone()).isEqualTo(TimeZone.getDefault());
    }

    private static Stored every(Duration interval) {
        return new Stored("every " + interval.toMillis() + " ms", MISFIRE_INSTRUCTION_RESCHEDULE_NEXT_WITH_REMAINING_COUNT);
    }

    private static Stored stored(Trigger trigger) {
        if (trigger instanceof SimpleTrigger simple) {
            assertThat(simple.getRepeatCount()).as(trigger.getKey() + " repeats forever")
                    .isEqualTo(SimpleTrigger.REPEAT_INDEFINITELY);
            return new Stored("every " + simple.getRepeatInterval() + " ms", trigger.getMisfireInstruction());
        }
        return new Stored(((CronTrigger) trigger).getCronExpression(), trigger.getMisfireInstruction());
    }
}
