package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The unit page offers what makes sense for the unit's kind and recorded state: no "start" on a
 * running unit, no "stop" on a stopped one; a customer can reset their running jail's FTP
 * password from it, but a VM (whose FTP account lives in its guest) offers no reset and the API
 * refuses one.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class UnitPageActionsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;

    String customer;
    UUID jail;
    UUID vm;

    @BeforeEach
    void aJailAndAVm() {
        data.node("buttons-node", 10L << 30);
        TenantEntity tenant = data.tenant("buttons");
        customer = data.customer(tenant);
        String domain = "b" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        jail = created(AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "buttons-node", "256M", domain,
                data.freeAddress(), null), "staff")));
        vm = created(AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant.getId(), "buttons-node", UnitKind.VM, "256M",
                "vm-" + domain, data.freeAddress(), "1", "128", "lodge-test", null), "staff")));
    }

    private UUID created(JobView job) {
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j").param("j", job.id()).update();
        return job.unitId();
    }

    private String page(UUID unit, String state) throws Exception {
        jdbc.sql("update unit set state = :s where id = :u").param("s", state).param("u", unit).update();
        return mvc.perform(get("/units/" + unit).with(user(users.loadUserByUsername(customer))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void aRunningJailOffersStopRestartAndAPasswordResetButNotStart() throws Exception {
        assertThat(page(jail, "RUNNING")).contains("/actions/stop").contains("/actions/restart")
                .contains("/actions/reset-ftp-password").doesNotContain("/actions/start\"");
        assertThat(page(jail, "STOPPED")).contains("/actions/start\"").doesNotContain("/actions/stop")
                .doesNotContain("/actions/restart").doesNotContain("/actions/reset-ftp-password");
        assertThat(page(jail, "PROVISIONING")).doesNotContain("/actions/");
    }

    @Test
    void aVmOffersWhatItsStateAllowsAndNoPasswordReset() throws Exception {
        assertThat(page(vm, "RUNNING")).contains("/actions/power-off").contains("/actions/suspend")
                .doesNotContain("/actions/resume").doesNotContain("/actions/start\"").doesNotContain("reset-ftp-password");
        assertThat(page(vm, "PAUSED")).contains("/actions/resume").doesNotContain("/actions/suspend");
        assertThat(page(vm, "SAVED")).contains("/actions/restore").doesNotContain("/actions/stop");
        String refused = mvc.perform(post("/api/units/" + vm + "/actions/reset-ftp-password")
                        .with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("a vm has no action 'reset-ftp-password'");
        // A refusal that names the unit's state says it in the reader's language too.
        page(jail, "STOPPED");
        String stopped = mvc.perform(post("/api/units/" + jail + "/actions/reset-ftp-password")
                        .with(httpBasic(customer, TestData.PASSWORD)).header("Accept-Language", "it"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(stopped).contains(" è ferma: avviala prima, così la nuova password FTP può essere verificata");
    }

    @Test
    void theResetButtonQueuesTheJobAndLeadsToItsPage() throws Exception {
        page(jail, "RUNNING");
        String target = mvc.perform(post("/units/" + jail + "/actions/reset-ftp-password").with(csrf())
                        .with(user(users.loadUserByUsername(customer))))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        assertThat(target).startsWith("/jobs/");
        assertThat(jdbc.sql("select kind from provisioning_job where id = cast(:id as uuid)")
                .param("id", target.substring("/jobs/".length())).query(String.class).single())
                .isEqualTo("RESET_JAIL_FTP_PASSWORD");
        // Only the asker's job page asks for the new password; staff reading the job do not.
        String staff = data.staff();
        assertThat(mvc.perform(get(target).with(user(users.loadUserByUsername(customer)))).andReturn().getResponse()
                .getContentAsString()).contains("data-reveal=\"true\"");
        assertThat(mvc.perform(get(target).with(user(users.loadUserByUsername(staff)))).andReturn().getResponse()
                .getContentAsString()).contains("data-reveal=\"false\"");
    }
}
