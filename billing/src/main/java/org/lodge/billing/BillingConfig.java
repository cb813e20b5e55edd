package org.lodge.billing;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * Billing's clock (one bean, so tests can move time) and asynchronous delivery of module events
 * ({@code @ApplicationModuleListener} is {@code @Async}: a listener never holds up the
 * provisioning job that published the event).
 */
@Configuration(proxyBeanMethods = false)
@EnableAsync
class BillingConfig {

    @Bean
    Clock billingClock() {
        return Clock.systemUTC();
    }
}
