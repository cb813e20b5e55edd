package org.lodge.billing.invoice;

import java.time.Clock;
import java.time.LocalDate;
import org.lodge.billing.BillingProperties;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * The billing run on Quartz's clustered store (one instance fires it), by default every day at
 * 02:00: each subscription's period is due on its own billing day; then the dunning run. A misfired run (cluster down
 * at 02:00) fires once when the cluster is back; the run is idempotent, so late is harmless.
 */
@DisallowConcurrentExecution
public class BillingRunJob extends QuartzJobBean {

    private final BillingRunner runner;
    private final Dunning dunning;
    private final BillingProperties props;
    private final Clock clock;

    public BillingRunJob(BillingRunner runner, Dunning dunning, BillingProperties props, Clock billingClock) {
        this.runner = runner;
        this.dunning = dunning;
        this.props = props;
        this.clock = billingClock;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        LocalDate today = LocalDate.now(clock.withZone(props.zone()));
        runner.run(today);
        dunning.run(today);
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob billingRunSchedule(BillingProperties props) {
            return ClusteredJob.cron("billing-run", BillingRunJob.class, props.runCron(), props.zone(), Misfire.FIRE_ONCE);
        }
    }
}
