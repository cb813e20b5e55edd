package org.lodge.portal.security;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.stereotype.Component;

/** Operators' figures of the portal's doors: failed logins (form and API) and console sessions open. */
@Component
public class LoginMetrics {

    private final MeterRegistry meters;

    public LoginMetrics(MeterRegistry meters, JdbcClient jdbc) {
        this.meters = meters;
        Gauge.builder("lodge.console.sessions", () -> jdbc.sql("select count(*) from console_session")
                        .query(Long.class).single())
                .description("Console sessions open, across portals").register(meters);
    }

    @EventListener
    public void onFailure(AbstractAuthenticationFailureEvent event) {
        Counter.builder("lodge.login.failures").description("Failed logins, by reason")
                .tag("reason", event.getException().getClass().getSimpleName()).register(meters).increment();
    }
}
