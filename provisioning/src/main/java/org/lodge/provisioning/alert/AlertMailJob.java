package org.lodge.provisioning.alert;

import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
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
        ClusteredJob alertMailSchedule(AlertProperties props) {
            // A missed pass needs no replay: the next one judges the alerts as they are then.
            return ClusteredJob.cron("alert-mail", AlertMailJob.class, props.cron(), Misfire.SKIP);
        }
    }
}
