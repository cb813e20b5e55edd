package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.unauthenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Throttling by account and source address with back-off: failures lock the address they came
 * from out of that account, for a time that doubles with each further failure, never the owner
 * logging in from elsewhere; one address has a cap over all accounts; all is audited. Past
 * failures are written to the audit trail directly (the throttle reads nothing else), so an hour
 * of one bad password a minute takes no hour.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class LoginThrottlingTest {

    private static final String ATTACKER = "203.0.113.9";
    private static final String OWNER = "198.51.100.20";

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
                .containsExactly("LOGIN_FAILED=6", "LOGIN_OK=1", "LOGIN_THROTTLED=1");
    }

    @Test
    void oneBadPasswordAMinuteFromElsewhereDoesNotLockTheOwnerOut() throws Exception {
        String user = data.customer(data.tenant("steady"));
        for (int minute = 60; minute >= 1; minute--) {
            failure(user, ATTACKER, Duration.ofMinutes(minute));
        }
        login(user, "one-more-guess", ATTACKER).andExpect(unauthenticated());
        // The attacker's address is paused for this account, even with the right password...
        login(user, TestData.PASSWORD, ATTACKER).andExpect(unauthenticated());
        // ...the owner, from their own address, is not.
        login(user, TestData.PASSWORD, OWNER).andExpect(authenticated());
        assertThat(jdbc.sql("select detail from audit_event where principal = :p and kind = 'LOGIN_THROTTLED'")
                .param("p", user).query(String.class).list())
                .isNotEmpty().allSatisfy(detail -> assertThat(detail).contains(ATTACKER).contains("paused"));
    }

    @Test
    void thePauseDoublesWithEachFurtherFailure() throws Exception {
        String five = data.customer(data.tenant("backoff"));
        for (int i = 0; i < 5; i++) {
            failure(five, ATTACKER, Duration.ofSeconds(90));
        }
        // Five failures pause the pair for 1 min, over 90 s ago: free again.
        login(five, TestData.PASSWORD, ATTACKER).andExpect(authenticated());

        String six = data.customer(data.tenant("backoff"));
        for (int i = 0; i < 6; i++) {
            failure(six, ATTACKER, Duration.ofSeconds(90));
        }
        // Six pause it for 2 min: still paused.
        login(six, TestData.PASSWORD, ATTACKER).andExpect(unauthenticated());
    }

    @Test
    void aSuccessFromAnAddressForgetsItsEarlierFailures() throws Exception {
        String user = data.customer(data.tenant("forget"));
        for (int i = 0; i < 4; i++) {
            login(user, "typo-" + i, OWNER).andExpect(unauthenticated());
        }
        login(user, TestData.PASSWORD, OWNER).andExpect(authenticated());
        for (int i = 0; i < 4; i++) {
            login(user, "typo-again-" + i, OWNER).andExpect(unauthenticated());
        }
        login(user, TestData.PASSWORD, OWNER).andExpect(authenticated());
    }

    @Test
    void oneAddressFailingOverManyAccountsIsPaused() throws Exception {
        String spray = "203.0.113.77";
        for (int i = 0; i < 50; i++) {
            failure("sprayed-" + i, spray, Duration.ofMinutes(5));
        }
        String user = data.customer(data.tenant("spray"));
        login(user, TestData.PASSWORD, spray).andExpect(unauthenticated());
        login(user, TestData.PASSWORD, OWNER).andExpect(authenticated());
    }

    @Test
    void passwordsAreStoredAsHashes() {
        String user = data.staff();
        String hash = jdbc.sql("select password_hash from app_user where username = :u").param("u", user)
                .query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(TestData.PASSWORD);
    }

    private ResultActions login(String user, String password, String from) throws Exception {
        return mvc.perform(post("/login").with(csrf()).param("username", user).param("password", password)
                .with(request -> {
                    request.setRemoteAddr(from);
                    return request;
                }));
    }

    private void failure(String user, String from, Duration ago) {
        jdbc.sql("insert into audit_event (at, principal, kind, detail, remote_addr)"
                        + " values (:at, :p, 'LOGIN_FAILED', 'BadCredentialsException', :r)")
                .param("at", Timestamp.from(Instant.now().minus(ago))).param("p", user).param("r", from).update();
    }
}
