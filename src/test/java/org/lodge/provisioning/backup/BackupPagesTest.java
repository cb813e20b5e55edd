package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.BackupPolicyService;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The staff's schedule and retention forms: a jail's own on its page, the tenant's default on the
 * tenant page, stored as the API stores them; a bad cron is refused with nothing stored; customers
 * neither see the form nor may post it; the form is in Italian for an Italian browser.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupPagesTest {

    private static final String NODE = "pages-node";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    BackupPolicies policies;
    @Autowired
    UserDetailsService users;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void staffSetAJailsAndATenantsPolicyByFormAndCustomersCannot() throws Exception {
        data.node(NODE, 10L << 30);
        TenantEntity tenant = data.tenant("pages");
        UUID unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), NODE, "256M",
                "pages-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null),
                "staff")).unitId();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));
        RequestPostProcessor customer = user(users.loadUserByUsername(data.customer(tenant)));

        String page = mvc.perform(get("/units/" + unit).with(staff)).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(page).contains("class=\"backup-policy\"").contains("Backup schedule and retention of this jail")
                .contains("No policy of its own yet");
        mvc.perform(post("/units/" + unit + "/backups/schedule").with(staff).with(csrf()).param("cron", "0 15 3 * * ?")
                        .param("jitterSeconds", "600").param("enabled", "true").param("keepLast", "2")
                        .param("keepDaily", "5").param("keepWeekly", "0").param("keepMonthly", "0"))
                .andExpect(status().is3xxRedirection()).andExpect(flash().attribute("message", "Backup schedule saved."));
        assertThat(policies.of(tenant.getId(), unit)).contains(new BackupPolicyService.Schedule("0 15 3 * * ?", 600, true, 2, 0,
                5, 0, 0, 0));
        assertThat(mvc.perform(get("/units/" + unit).with(staff)).andReturn().getResponse().getContentAsString())
                .contains("value=\"0 15 3 * * ?\"").contains("value=\"600\"");

        mvc.perform(post("/units/" + unit + "/backups/schedule").with(staff).with(csrf()).param("cron", "every night"))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.containsString("is not a cron expression")));
        // The refusal is said in the reader's language, not the service's English.
        mvc.perform(post("/units/" + unit + "/backups/schedule").with(staff).with(csrf()).param("cron", "every night")
                        .locale(Locale.ITALIAN))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.startsWith(
                        "'every night' non è un’espressione cron; scrivi secondi minuti ore")));
        assertThat(policies.of(tenant.getId(), unit).orElseThrow().cron()).isEqualTo("0 15 3 * * ?");

        assertThat(mvc.perform(get("/units/" + unit).with(customer)).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString()).doesNotContain("backup-policy").contains("id=\"backups\"");
        mvc.perform(post("/units/" + unit + "/backups/schedule").with(customer).with(csrf()).param("cron", "0 0 1 * * ?"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/tenants/" + tenant.getId() + "/backup-schedule").with(customer).with(csrf())
                .param("cron", "0 0 1 * * ?")).andExpect(status().isForbidden());

        mvc.perform(post("/tenants/" + tenant.getId() + "/backup-schedule").with(staff).with(csrf())
                .param("cron", "0 0 1 * * ?").param("jitterSeconds", "3600")).andExpect(status().is3xxRedirection());
        assertThat(policies.of(tenant.getId(), null)).contains(new BackupPolicyService.Schedule("0 0 1 * * ?", 3600, false,
                3, 0, 7, 4, 6, 0));
        String italian = mvc.perform(get("/tenants/" + tenant.getId()).with(staff).locale(Locale.ITALIAN))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(italian).contains("Pianificazione e conservazione predefinite").contains("Quota dei backup");
    }
}
