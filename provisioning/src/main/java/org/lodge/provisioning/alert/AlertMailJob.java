package org.lodge.provisioning.alert;

import org.quartz.CronScheduleBuilder;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** The alert pass on Quartz's clustered store (one instance fires it), by default every minute. */
@DisallowConcurrentExecution
public class AlertMailJob extends QuartzJobBean {

    private final AlertMail alertMail;

    public AlertMailJob(AlertMail alertMail) {
        this.alertMail = alertMail;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        alertMail.pass();
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        JobDetail alertMailDetail() {
            return JobBuilder.newJob(AlertMailJob.class).withIdentity("alert-mail", "lodge").storeDurably().build();
        }

        @Bean
        Trigger alertMailTrigger(JobDetail alertMailDetail, AlertProperties props) {
            // A missed pass needs no replay: the next one judges the alerts as they are then.
            return TriggerBuilder.newTrigger().forJob(alertMailDetail).withIdentity("alert-mail", "lodge")
                    .withSchedule(CronScheduleBuilder.cronSchedule(props.cron()).withMisfireHandlingInstructionDoNothing())
                    .build();
        }
    }
}
