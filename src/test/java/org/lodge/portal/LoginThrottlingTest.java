package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;

import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/** Five failed logins lock the account for the window, even with the right password; all is audited. */
@PortalOnlyTest
@AutoConfigureMockMvc
class LoginThrottlingTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    @Test
    void locksAnAccountAfterFiveFailures() throws Exception {
        String user = data.staff();
        mvc.perform(formLogin().user(user).password(TestData.PASSWORD)).andExpect(authenticated());
        for (int i = 0; i < 5; i++) {
            mvc.perform(formLogin().user(user).password("wrong-" + i)).andExpect(unauthenticated());
        }
        mvc.perform(formLogin().user(user).password(TestData.PASSWORD)).andExpect(unauthenticated());
        assertThat(jdbc.sql("select kind, count(*) from audit_event where principal = :p group by kind order by kind")
                .param("p", user).query((rs, n) -> rs.getString(1) + "=" + rs.getLong(2)).list())
                .containsExactly("LOGIN_FAILED=6", "LOGIN_OK=1");
    }

    @Test
    void passwordsAreStoredAsHashes() {
        String user = data.staff();
        String hash = jdbc.sql("select password_hash from app_user where username = :u").param("u", user)
                .query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(TestData.PASSWORD);
    }
}
