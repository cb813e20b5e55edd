package org.lodge.billing.mail;

import org.lodge.billing.BillingMailProperties;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/** Looks at the billing mail outbox every {@code lodge.billing.mail.send-interval} (Quartz, clustered). */
@DisallowConcurrentExecution
public class MailDispatchJob extends QuartzJobBean {

    private final MailDispatch dispatch;

    public MailDispatchJob(MailDispatch dispatch) {
        this.dispatch = dispatch;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        dispatch.sendPending();
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        JobDetail billingMailDetail() {
            return JobBuilder.newJob(MailDispatchJob.class).withIdentity("billing-mail", "lodge").storeDurably().build();
        }

        @Bean
        Trigger billingMailTrigger(JobDetail billingMailDetail, BillingMailProperties props) {
            return TriggerBuilder.newTrigger().forJob(billingMailDetail).withIdentity("billing-mail", "lodge")
                    .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                            .withIntervalInMilliseconds(props.sendInterval().toMillis()).repeatForever()
                            .withMisfireHandlingInstructionNextWithRemainingCount())
                    .build();
        }
    }
}
