package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Everyone changes their own password, proving the current one; the new one is stored as the
 * encoder's hash, the old one stops working at once, and every attempt is audited.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class PasswordChangeTest {

    private static final String NEW = "a-brand-new-password-42";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;

    private String change(String user, String current, String next) {
        return "{\"currentPassword\":\"" + current + "\",\"newPassword\":\"" + next + "\"}";
    }

    private int audited(String user, String kind) {
        return jdbc.sql("select count(*) from audit_event where principal = :p and kind = :k").param("p", user)
                .param("k", kind).query(Integer.class).single();
    }

    @Test
    void aCustomerChangesTheirPasswordThroughTheApiAndTheOldOneStopsWorking() throws Exception {
        String customer = data.customer(data.tenant("pw"));

        mvc.perform(post("/api/account/password").with(httpBasic(customer, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content(change(customer, TestData.PASSWORD, NEW)))
                .andExpect(status().isNoContent());

        mvc.perform(get("/api/units").with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/units").with(httpBasic(customer, NEW))).andExpect(status().isOk());
        String hash = jdbc.sql("select password_hash from app_user where username = :u").param("u", customer)
                .query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(NEW);
        assertThat(audited(customer, "PASSWORD_CHANGED")).isOne();
    }

    @Test
    void aWrongCurrentPasswordOrABadNewOneChangesNothing() throws Exception {
        String customer = data.customer(data.tenant("pw"));
        String before = jdbc.sql("select password_hash from app_user where username = :u").param("u", customer)
                .query(String.class).single();

        String wrong = mvc.perform(post("/api/account/password").with(httpBasic(customer, TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content(change(customer, "not-my-password", NEW)))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(wrong).contains("currentPassword").contains("the current password is not right");
        mvc.perform(post("/api/account/password").with(httpBasic(customer, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content(change(customer, TestData.PASSWORD, "short")))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/account/password").with(httpBasic(customer, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content(change(customer, TestData.PASSWORD, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());

        assertThat(jdbc.sql("select password_hash from app_user where username = :u").param("u", customer)
                .query(String.class).single()).isEqualTo(before);
        assertThat(audited(customer, "PASSWORD_CHANGE_FAILED")).isOne();
        assertThat(audited(customer, "PASSWORD_CHANGED")).isZero();
    }

    @Test
    void wrongCurrentPasswordsCountTowardsTheThrottle() throws Exception {
        String customer = data.customer(data.tenant("pw"));
        for (int i = 0; i < 5; i++) {
            mvc.perform(post("/account/password").param("currentPassword", "guess-" + i).param("newPassword", NEW)
                    .param("confirmPassword", NEW).with(csrf()).with(user(users.loadUserByUsername(customer))))
                    .andExpect(status().isOk());
        }
        // Even the right one is refused now, for the throttle's window.
        String page = mvc.perform(post("/account/password").param("currentPassword", TestData.PASSWORD)
                        .param("newPassword", NEW).param("confirmPassword", NEW).with(csrf())
                        .with(user(users.loadUserByUsername(customer))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("too many wrong passwords lately");
        assertThat(audited(customer, "PASSWORD_CHANGED")).isZero();
    }

    @Test
    void staffChangeTheirPasswordOnTheAccountPage() throws Exception {
        String staff = data.staff();
        String page = mvc.perform(get("/account").with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Change password").contains("API tokens");

        String differ = mvc.perform(post("/account/password").param("currentPassword", TestData.PASSWORD)
                        .param("newPassword", NEW).param("confirmPassword", NEW + "x").with(csrf())
                        .with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(differ).contains("the two new passwords differ");

        mvc.perform(post("/account/password").param("currentPassword", TestData.PASSWORD).param("newPassword", NEW)
                        .param("confirmPassword", NEW).with(csrf()).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/account"));
        mvc.perform(get("/api/units").with(httpBasic(staff, NEW))).andExpect(status().isOk());
        assertThat(audited(staff, "PASSWORD_CHANGED")).isOne();
    }
}
