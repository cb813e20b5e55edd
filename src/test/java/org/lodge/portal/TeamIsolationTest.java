package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Tenant administrators manage their own tenant's users and nobody else's: every team endpoint
 * aimed at another tenant's user answers 404 and changes nothing; customers and staff get 403 on
 * the team pages. A one-time password must be replaced at the next login; disabling ends the
 * user's sessions and API tokens; a reset password replaces the old one.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TeamIsolationTest {

    private static final Pattern TOKEN = Pattern.compile("lodge_[A-Za-z0-9_-]{43}");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    TenantService tenants;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;

    String adminOfA;
    String customerOfA;
    String customerOfB;
    UUID idOfB;
    UUID idOfA;
    TenantEntity a;

    @BeforeEach
    void twoTenants() {
        a = data.tenant("team-a");
        TenantEntity b = data.tenant("team-b");
        adminOfA = "a" + UUID.randomUUID().toString().substring(0, 8);
        tenants.createUser(adminOfA, TestData.PASSWORD, Role.TENANT_ADMIN, a.getId());
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        idOfA = id(customerOfA);
        idOfB = id(customerOfB);
    }

    private List<MockHttpServletRequestBuilder> writesOn(UUID id) {
        return List.of(post("/team/users/" + id + "/reset-password").with(csrf()),
                post("/team/users/" + id + "/disable").with(csrf()),
                post("/team/users/" + id + "/enable").with(csrf()));
    }

    @Test
    void anAdministratorCannotTouchAnotherTenantsUsers() throws Exception {
        String page = mvc.perform(get("/team").with(as(adminOfA))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains(customerOfA).doesNotContain(customerOfB);
        String before = row(customerOfB);
        for (MockHttpServletRequestBuilder write : writesOn(idOfB)) {
            mvc.perform(write.with(as(adminOfA))).andExpect(status().isNotFound());
        }
        assertThat(row(customerOfB)).isEqualTo(before);
        login(customerOfB, TestData.PASSWORD);
        // A tenant id sent along is ignored: the new user is the administrator's tenant's.
        mvc.perform(post("/team/users").with(csrf()).with(as(adminOfA)).param("username", "n" + idOfB.toString().substring(0, 8))
                .param("tenantId", id(customerOfB).toString())).andExpect(status().isOk());
        assertThat(jdbc.sql("select tenant_id from app_user where username = :u")
                .param("u", "n" + idOfB.toString().substring(0, 8)).query(UUID.class).single()).isEqualTo(a.getId());
        // Nor can they make staff.
        String refused = mvc.perform(post("/team/users").with(csrf()).with(as(adminOfA)).param("username", "staffy-" + UUID.randomUUID().toString().substring(0, 6))
                .param("role", "STAFF")).andReturn().getResponse().getContentAsString();
        assertThat(Jsoup.parse(refused).getElementById("errors")).isNotNull();
        assertThat(jdbc.sql("select count(*) from app_user where username like 'staffy-%'").query(Long.class).single()).isZero();
    }

    @Test
    void customersAndStaffHaveNoTeamPages() throws Exception {
        String staff = data.staff();
        for (String who : List.of(customerOfA, staff)) {
            mvc.perform(get("/team").with(as(who))).andExpect(status().isForbidden());
            mvc.perform(post("/team/users").with(csrf()).with(as(who)).param("username", "x" + UUID.randomUUID().toString().substring(0, 8)))
                    .andExpect(status().isForbidden());
            for (MockHttpServletRequestBuilder write : writesOn(idOfA)) {
                mvc.perform(write.with(as(who))).andExpect(status().isForbidden());
            }
        }
        assertThat(id(customerOfA)).isEqualTo(idOfA);
        login(customerOfA, TestData.PASSWORD);
    }

    @Test
    void aNewUsersOneTimePasswordMustBeReplacedFirst() throws Exception {
        String name = "t" + UUID.randomUUID().toString().substring(0, 8);
        String page = mvc.perform(post("/team/users").with(csrf()).with(as(adminOfA)).param("username", name))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String oneTime = Jsoup.parse(page).getElementById("password").text();
        assertThat(oneTime).hasSizeGreaterThanOrEqualTo(22);
        MockHttpSession session = login(name, oneTime);
        mvc.perform(get("/units").session(session)).andExpect(redirectedUrl("/account?change"));
        mvc.perform(post("/account/password").session(session).with(csrf()).param("currentPassword", oneTime)
                .param("newPassword", "my-very-own-password").param("confirmPassword", "my-very-own-password"))
                .andExpect(redirectedUrl("/account"));
        mvc.perform(get("/units").session(session)).andExpect(status().isOk());
    }

    @Test
    void disablingEndsSessionsAndTokensAndAResetReplacesThePassword() throws Exception {
        MockHttpSession session = login(customerOfA, TestData.PASSWORD);
        Matcher token = TOKEN.matcher(mvc.perform(post("/account/tokens").session(session).with(csrf())
                .param("name", "cron")).andReturn().getResponse().getContentAsString());
        assertThat(token.find()).isTrue();
        mvc.perform(post("/team/users/" + idOfA + "/disable").with(csrf()).with(as(adminOfA)))
                .andExpect(redirectedUrl("/team"));
        mvc.perform(get("/units").session(session)).andExpect(redirectedUrl("/login?expired"));
        mvc.perform(get("/api/units").header("Authorization", "Bearer " + token.group())).andExpect(status().isUnauthorized());
        mvc.perform(post("/login").with(csrf()).param("username", customerOfA).param("password", TestData.PASSWORD))
                .andExpect(unauthenticated());
        mvc.perform(post("/team/users/" + idOfA + "/enable").with(csrf()).with(as(adminOfA)));
        login(customerOfA, TestData.PASSWORD);

        String page = mvc.perform(post("/team/users/" + idOfA + "/reset-password").with(csrf()).with(as(adminOfA)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String fresh = Jsoup.parse(page).getElementById("password").text();
        mvc.perform(post("/login").with(csrf()).param("username", customerOfA).param("password", TestData.PASSWORD))
                .andExpect(unauthenticated());
        mvc.perform(post("/login").with(csrf()).param("username", customerOfA).param("password", fresh))
                .andExpect(authenticated());
        assertThat(jdbc.sql("select kind from audit_event where principal = :p").param("p", adminOfA)
                .query(String.class).list()).contains("USER_DISABLED", "USER_ENABLED", "PASSWORD_RESET");
    }

    private org.springframework.test.web.servlet.request.RequestPostProcessor as(String username) {
        return user(users.loadUserByUsername(username));
    }

    private MockHttpSession login(String username, String password) throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", username).param("password", password))
                .andExpect(redirectedUrl("/"));
        return session;
    }

    private UUID id(String username) {
        return jdbc.sql("select id from app_user where username = :u").param("u", username).query(UUID.class).single();
    }

    private String row(String username) {
        return jdbc.sql("select password_hash || coalesce(disabled_at::text, '-') || must_change_password from app_user"
                + " where username = :u").param("u", username).query(String.class).single();
    }
}
