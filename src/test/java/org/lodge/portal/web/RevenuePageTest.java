package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/** Staff see revenue per month on the Invoices page (table and uPlot chart) and in the API; customers do not. */
@PortalOnlyTest
@AutoConfigureMockMvc
class RevenuePageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;

    @Test
    void staffSeeRevenuePerMonthCustomersDoNot() throws Exception {
        TenantEntity tenant = data.tenant("rev-page");
        subscriptions.start(tenant.getId(), UUID.randomUUID(), "rev.example.com",
                UUID.fromString("00000000-0000-4000-8000-00000000b001"), LocalDate.parse("2036-04-09"), 1L << 30);
        runner.run(LocalDate.parse("2036-04-09"));

        String page = mvc.perform(get("/billing/invoices").with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"revenue-chart\"", "data-month=\"2036-04\"", "/js/revenue.js", "uPlot.iife.min.js");
        String staff = data.staff();
        String json = mvc.perform(get("/api/billing/revenue").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(json).contains("\"month\":\"2036-04\"");

        String customer = data.customer(tenant);
        String own = mvc.perform(get("/billing/invoices").with(user(users.loadUserByUsername(customer))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(own).doesNotContain("revenue-chart");
        mvc.perform(get("/api/billing/revenue").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isForbidden());
    }
}
