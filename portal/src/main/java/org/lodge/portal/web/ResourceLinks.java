package org.lodge.portal.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Links in pages are written as they are, not rewritten through the static-resource chain.
 * springdoc brings webjars-locator-lite, which switches Spring Boot's resource chain on, and with
 * it {@link ResourceUrlEncodingFilter}: every {@code @{...}} link of every page (50 unit links on
 * the units list) was looked up as a static file in each classpath location of every jar, and a
 * miss is never cached. Lodge uses no versioned resource URLs (the uPlot webjar is linked with its
 * version), so the filter rewrote nothing; it cost most of a page's time (docs/benchmarks.md).
 * Static files and webjars are still served by the same resource handlers and resolvers.
 */
@Configuration(proxyBeanMethods = false)
public class ResourceLinks {

    /**
     * Registered but not enabled: Thymeleaf's auto-configuration then registers none of its own
     * ({@code @ConditionalOnMissingFilterBean}) and the servlet context gets no such filter.
     */
    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> resourceUrlEncodingFilterOff() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setEnabled(false);
        return registration;
    }
}
