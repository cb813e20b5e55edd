package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
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
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A password change ends the user's other web sessions (Spring Security's session registry): the
 * session that made the change goes on, the others are sent to log in again; through the API,
 * all of them end. Another user's sessions are untouched.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class SessionsEndOnPasswordChangeTest {

    private static final String NEW_PASSWORD = "a-new-long-password";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    @Test
    void changingThePasswordOnThePageEndsTheOtherSessionsOnly() throws Exception {
        var tenant = data.tenant("sessions");
        String user = data.customer(tenant);
        String neighbour = data.customer(tenant);
        MockHttpSession here = login(user);
        MockHttpSession phone = login(user);
        MockHttpSession other = login(neighbour);

        mvc.perform(post("/account/password").session(here).with(csrf()).param("currentPassword", TestData.PASSWORD)
                .param("newPassword", NEW_PASSWORD).param("confirmPassword", NEW_PASSWORD))
                .andExpect(redirectedUrl("/account"));

        mvc.perform(get("/units").session(here)).andExpect(status().isOk());
        mvc.perform(get("/units").session(phone)).andExpect(redirectedUrl("/login?expired"));
        mvc.perform(get("/units").session(other)).andExpect(status().isOk());
        assertThat(jdbc.sql("select detail from audit_event where principal = :p and kind = 'SESSIONS_ENDED'")
                .param("p", user).query(String.class).single()).startsWith("1 other session(s) ended");
    }

    @Test
    void changingThePasswordThroughTheApiEndsEveryWebSession() throws Exception {
        String user = data.customer(data.tenant("api-sessions"));
        MockHttpSession browser = login(user);
        mvc.perform(post("/api/account/password").with(httpBasic(user, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"currentPassword\":\"" + TestData.PASSWORD + "\",\"newPassword\":\"" + NEW_PASSWORD + "\"}"))
                .andExpect(status().is2xxSuccessful());
        mvc.perform(get("/units").session(browser)).andExpect(redirectedUrl("/login?expired"));
    }

    private MockHttpSession login(String user) throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", user)
                .param("password", TestData.PASSWORD)).andExpect(redirectedUrl("/"));
        return session;
    }
}
