package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Actuator for the people who run Lodge: staff read health (with the database) and the
 * Prometheus figures (queue depth, login failures); customers get 403, anonymous callers 401.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class OperatorMetricsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;

    @Test
    void onlyStaffReadHealthAndPrometheus() throws Exception {
        TenantEntity tenant = data.tenant("ops");
        String customer = data.customer(tenant);
        String staff = data.staff();
        for (String path : new String[] {"/actuator/health", "/actuator/prometheus"}) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
            mvc.perform(get(path).with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isForbidden());
        }
        String health = mvc.perform(get("/actuator/health").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(health).contains("\"db\"").contains("PostgreSQL");
    }

    @Test
    void prometheusCountsLoginFailuresAndShowsTheQueue() throws Exception {
        String staff = data.staff();
        mvc.perform(get("/api/units").with(httpBasic(staff, "not-the-password"))).andExpect(status().isUnauthorized());
        double before = failures(scrape(staff));
        mvc.perform(get("/api/units").with(httpBasic(staff, "not-the-password"))).andExpect(status().isUnauthorized());
        String after = scrape(staff);
        assertThat(failures(after)).isEqualTo(before + 1);
        assertThat(after).contains("lodge_jobs_queued").contains("lodge_console_sessions");
    }

    private String scrape(String staff) throws Exception {
        return mvc.perform(get("/actuator/prometheus").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private static double failures(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("lodge_login_failures_total{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
