package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.Totp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Two-factor login turned off: by its owner only with their password and a current code (a wrong
 * one of either is refused, audited, and leaves it on), ending their other sessions; reset by
 * staff from the tenant's page or by a tenant administrator for their own tenant's users only
 * (another tenant's user answers 404 and stays enrolled; a customer gets 403), ending all of the
 * user's sessions. Afterwards the password alone logs in.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TwoFactorOffTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    TenantService tenants;
    @Autowired
    JdbcClient jdbc;

    @Test
    void theOwnerTurnsItOffWithPasswordAndACurrentCodeAndTheirOtherSessionsEnd() throws Exception {
        String user = data.customer(data.tenant("totp-off"));
        MockHttpSession phone = login(user);
        MockHttpSession here = login(user);
        String secret = enrol(here);

        Document wrongPassword = offForm(here, "not-the-password", Totp.code(secret, 1));
        assertThat(wrongPassword.select("#off-errors li").text()).contains("password is not right");
        String wrong = Totp.code(secret, 1).equals("123456") ? "654321" : "123456";
        Document wrongCode = offForm(here, TestData.PASSWORD, wrong);
        assertThat(wrongCode.select("#off-errors li").text()).contains("code does not match");
        String italian = mvc.perform(post("/account/2fa/off").session(here).with(csrf()).header("Accept-Language", "it")
                .param("password", "not-the-password").param("code", Totp.code(secret, 1))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(Jsoup.parse(italian).select("#off-errors li").text())
                .isEqualTo("La password non è corretta; l'accesso a due fattori resta attivo.");
        assertThat(enabled(user)).as("still on after the refusals").isTrue();

        mvc.perform(post("/account/2fa/off").session(here).with(csrf()).param("password", TestData.PASSWORD)
                .param("code", Totp.code(secret, 1))).andExpect(redirectedUrl("/account"));
        assertThat(enabled(user)).isFalse();
        assertThat(jdbc.sql("select count(*) from user_recovery_code r join app_user u on u.id = r.user_id"
                + " where u.username = :u").param("u", user).query(Long.class).single()).isZero();
        mvc.perform(get("/units").session(here)).andExpect(status().isOk());
        mvc.perform(get("/units").session(phone)).andExpect(redirectedUrl("/login?expired"));
        login(user);
        assertThat(kinds(user)).contains("TWO_FACTOR_DISABLE_FAILED", "TWO_FACTOR_DISABLED", "SESSIONS_ENDED");
    }

    @Test
    void staffResetItFromTheTenantsPageOnlyForThatTenantsUsers() throws Exception {
        TenantEntity tenant = data.tenant("totp-staff");
        TenantEntity other = data.tenant("totp-staff-other");
        String user = data.customer(tenant);
        MockHttpSession session = login(user);
        enrol(session);
        MockHttpSession staff = login(data.staff());

        mvc.perform(post("/tenants/" + other.getId() + "/users/" + idOf(user) + "/reset-2fa").session(staff)
                .with(csrf())).andExpect(status().isNotFound());
        assertThat(enabled(user)).as("the user is not the URL tenant's").isTrue();
        mvc.perform(post("/tenants/" + tenant.getId() + "/users/" + idOf(user) + "/reset-2fa").session(staff)
                .with(csrf())).andExpect(redirectedUrl("/tenants/" + tenant.getId()));
        assertThat(enabled(user)).isFalse();
        mvc.perform(get("/units").session(session)).andExpect(redirectedUrl("/login?expired"));
        login(user);
        assertThat(kinds(user)).contains("SESSIONS_ENDED");
    }

    @Test
    void aTenantAdministratorResetsTheirOwnTenantsUsersOnly() throws Exception {
        TenantEntity tenantA = data.tenant("totp-team-a");
        TenantEntity tenantB = data.tenant("totp-team-b");
        String admin = "a" + UUID.randomUUID().toString().substring(0, 8);
        tenants.createUser(admin, TestData.PASSWORD, Role.TENANT_ADMIN, tenantA.getId());
        String ofA = data.customer(tenantA);
        String ofB = data.customer(tenantB);
        enrol(login(ofA));
        enrol(login(ofB));
        MockHttpSession adminSession = login(admin);
        MockHttpSession customerSession = login(data.customer(tenantA));

        mvc.perform(post("/team/users/" + idOf(ofB) + "/reset-2fa").session(adminSession).with(csrf()))
                .andExpect(status().isNotFound());
        mvc.perform(post("/team/users/" + idOf(ofA) + "/reset-2fa").session(customerSession).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(post("/tenants/" + tenantA.getId() + "/users/" + idOf(ofA) + "/reset-2fa")
                .session(adminSession).with(csrf())).andExpect(status().isForbidden());
        assertThat(enabled(ofB)).isTrue();
        assertThat(enabled(ofA)).isTrue();

        mvc.perform(post("/team/users/" + idOf(ofA) + "/reset-2fa").session(adminSession).with(csrf()))
                .andExpect(redirectedUrl("/team"));
        assertThat(enabled(ofA)).isFalse();
        assertThat(enabled(ofB)).isTrue();
        assertThat(jdbc.sql("select detail from audit_event where principal = :p and kind = 'TWO_FACTOR_RESET'")
                .param("p", admin).query(String.class).single()).isEqualTo("reset the two-factor login of " + ofA);
        login(ofA);
    }

    /** Enrols the session's user with a first code (step 0); answers the secret. */
    private String enrol(MockHttpSession session) throws Exception {
        Document page = Jsoup.parse(mvc.perform(get("/account/2fa").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        String secret = page.getElementById("totp-secret").text();
        Document done = Jsoup.parse(mvc.perform(post("/account/2fa").session(session).with(csrf())
                .param("code", Totp.code(secret, 0))).andReturn().getResponse().getContentAsString());
        assertThat(done.select("#recovery-codes code")).hasSize(10);
        assertThat(Jsoup.parse(mvc.perform(get("/account/2fa").session(session)).andReturn().getResponse()
                .getContentAsString()).getElementById("off-form")).as("offered once on").isNotNull();
        return secret;
    }

    private Document offForm(MockHttpSession session, String password, String code) throws Exception {
        return Jsoup.parse(mvc.perform(post("/account/2fa/off").session(session).with(csrf())
                .param("password", password).param("code", code)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    /** A login with the password alone: only possible while two-factor login is off. */
    private MockHttpSession login(String user) throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", user)
                .param("password", TestData.PASSWORD)).andExpect(redirectedUrl("/"));
        return session;
    }

    private boolean enabled(String user) {
        return jdbc.sql("select count(*) from user_totp t join app_user u on u.id = t.user_id"
                + " where u.username = :u and t.confirmed_at is not null").param("u", user).query(Long.class).single() > 0;
    }

    private UUID idOf(String user) {
        return jdbc.sql("select id from app_user where username = :u").param("u", user).query(UUID.class).single();
    }

    private List<String> kinds(String user) {
        return jdbc.sql("select distinct kind from audit_event where principal = :p").param("p", user)
                .query(String.class).list();
    }
}
