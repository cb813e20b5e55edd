package org.lodge.portal.security;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Decides from the audit trail whether a login attempt may even be checked. The lock is per
 * (account, source address) with exponential back-off, so an attacker's bad passwords lock out
 * the attacker's address only, never the owner logging in from elsewhere; wrong TOTP codes count
 * apart from wrong passwords (a right password must not wipe them); and one address has a cap on
 * failures over all accounts, against spraying.
 */
@Component
public class LoginThrottle {

    private final JdbcClient jdbc;
    private final LoginProperties login;

    public LoginThrottle(JdbcClient jdbc, LoginProperties login) {
        this.jdbc = jdbc;
        this.login = login;
    }

    /** Why this attempt is refused unchecked, and for how long; empty when it may go on. */
    public Optional<String> refusal(String username, String remote) {
        Instant now = Instant.now();
        Optional<String> pair = pairLock(username, remote, AuditLog.LOGIN_FAILED, AuditLog.LOGIN_OK, "passwords", now)
                .or(() -> pairLock(username, remote, AuditLog.SECOND_FACTOR_FAILED, AuditLog.SECOND_FACTOR_OK,
                        "two-factor codes", now));
        if (pair.isPresent()) {
            return pair;
        }
        long fromSource = jdbc.sql("select count(*) from audit_event where remote_addr is not distinct from :r"
                        + " and kind in (:k) and at > :since")
                .param("r", remote).param("k", java.util.List.of(AuditLog.LOGIN_FAILED, AuditLog.SECOND_FACTOR_FAILED))
                .param("since", Timestamp.from(now.minus(login.window()))).query(Long.class).single();
        return fromSource >= login.maxFailuresPerSource()
                ? Optional.of(fromSource + " failed logins from " + remote + " within " + login.window().toMinutes()
                        + " minutes: that address is paused")
                : Optional.empty();
    }

    private Optional<String> pairLock(String username, String remote, String failed, String ok, String what,
                                      Instant now) {
        record Failures(long count, Timestamp last) {
        }
        Failures failures = jdbc.sql("""
                select count(*), max(at) from audit_event
                 where principal = :p and remote_addr is not distinct from :r and kind = :f and at > greatest(:since,
                       coalesce((select max(at) from audit_event where principal = :p
                                  and remote_addr is not distinct from :r and kind = :ok), '-infinity'))""")
                .param("p", username).param("r", remote).param("f", failed).param("ok", ok)
                .param("since", Timestamp.from(now.minus(login.memory())))
                .query((rs, n) -> new Failures(rs.getLong(1), rs.getTimestamp(2))).single();
        Duration lock = login.backoffAfter(failures.count());
        if (lock.isZero() || failures.last().toInstant().plus(lock).isBefore(now)) {
            return Optional.empty();
        }
        Duration left = Duration.between(now, failures.last().toInstant().plus(lock));
        return Optional.of(failures.count() + " wrong " + what + " for " + username + " from " + remote
                + ": paused for " + Math.max(1, left.toSeconds()) + " s");
    }
}
