package org.lodge.portal.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * No Micrometer observation around each of Spring Security's filters, its authentication and its
 * authorization: with the actuator on the classpath every request opened and closed one
 * observation per filter (~15 a request; JFR put ~6 % of a page's CPU there), and nothing reads them.
 * Requests are still timed as a whole ({@code http.server.requests}); logins are counted by
 * {@link LoginMetrics}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityObservations {

    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }
}
