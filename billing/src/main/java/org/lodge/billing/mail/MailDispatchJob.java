package org.lodge.billing.mail;

import org.lodge.billing.BillingMailProperties;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
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
        ClusteredJob billingMailSchedule(BillingMailProperties props) {
            return ClusteredJob.every("billing-mail", MailDispatchJob.class, props.sendInterval());
        }
    }
}
