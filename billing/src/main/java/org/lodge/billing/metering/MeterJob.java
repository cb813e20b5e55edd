package org.lodge.billing.metering;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.lodge.provisioning.quartz.ClusteredJob;
import org.lodge.provisioning.quartz.ClusteredJob.Misfire;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.quartz.QuartzJobBean;

/**
 * Closes the hours that ended, for every open meter, a few minutes past each hour (Quartz,
 * clustered: one instance fires it). A missed hour is caught up by the next run, since each
 * meter remembers how far it is closed.
 */
@DisallowConcurrentExecution
public class MeterJob extends QuartzJobBean {

    private static final Logger log = LoggerFactory.getLogger(MeterJob.class);

    private final MeterStore meters;
    private final Clock clock;

    public MeterJob(MeterStore meters, Clock billingClock) {
        this.meters = meters;
        this.clock = billingClock;
    }

    @Override
    protected void executeInternal(JobExecutionContext context) {
        Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        log.info("metering: {} unit-hour(s) closed up to {}", meters.closeAll(hour), hour);
    }

    @Configuration(proxyBeanMethods = false)
    static class Schedule {

        @Bean
        ClusteredJob meterSchedule() {
            return ClusteredJob.cron("billing-metering", MeterJob.class, "0 3 * * * ?", Misfire.FIRE_ONCE);
        }
    }
}
