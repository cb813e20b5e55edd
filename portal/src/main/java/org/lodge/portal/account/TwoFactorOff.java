package org.lodge.portal.account;

import java.util.List;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.LoginProperties;
import org.lodge.portal.security.TwoFactor;
import org.lodge.portal.security.UserSessions;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Two-factor login turned off: by its owner, who proves both factors again (their password and a
 * current code, or a recovery code: a session left open must not be enough), or reset by someone
 * who may manage the user (staff; a tenant administrator for their own tenant, checked by the
 * caller) when the phone and the recovery codes are lost. The user's other sessions end (all of
 * them on a reset); everything is audited. Wrong passwords or codes here count with failed logins
 * towards the throttle, so this form cannot be used to guess. Not transactional on purpose: the
 * audit line of a refusal must survive the refusal.
 */
@Service
public class TwoFactorOff {

    private static final List<String> FAILURES = List.of(AuditLog.LOGIN_FAILED, AuditLog.PASSWORD_CHANGE_FAILED,
            AuditLog.SECOND_FACTOR_FAILED, AuditLog.TWO_FACTOR_DISABLE_FAILED);

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final TwoFactor twoFactor;
    private final AuditLog audit;
    private final LoginProperties login;
    private final UserSessions sessions;

    public TwoFactorOff(UserRepository users, PasswordEncoder encoder, TwoFactor twoFactor, AuditLog audit,
                        LoginProperties login, UserSessions sessions) {
        this.users = users;
        this.encoder = encoder;
        this.twoFactor = twoFactor;
        this.audit = audit;
        this.login = login;
        this.sessions = sessions;
    }

    /** The owner turns it off; every other web session of theirs ends, {@code keepSessionId} stays. */
    public void disable(String username, String password, String code, String remote, String keepSessionId) {
        UserEntity user = users.findByUsername(username).orElseThrow(() -> NotFoundException.of("user", username));
        if (!twoFactor.enabled(username)) {
            throw InvalidRequestException.of("code", "two-factor login is not on for this account", "two-factor.off.not-on");
        }
        if (audit.recentFailures(username, login.window(), FAILURES) >= login.maxFailures()) {
            audit.account(username, AuditLog.TWO_FACTOR_DISABLE_FAILED, "two-factor login kept on: throttled", remote);
            throw InvalidRequestException.of("password", "too many wrong passwords or codes lately: try again in "
                    + login.window().toMinutes() + " minutes", "two-factor.off.throttled", login.window().toMinutes());
        }
        if (password == null || !encoder.matches(password, user.getPasswordHash())) {
            audit.account(username, AuditLog.TWO_FACTOR_DISABLE_FAILED, "two-factor login kept on: wrong password", remote);
            throw InvalidRequestException.of("password", "the password is not right; two-factor login stays on",
                    "two-factor.off.password");
        }
        if (!twoFactor.verify(username, code)) {
            audit.account(username, AuditLog.TWO_FACTOR_DISABLE_FAILED, "two-factor login kept on: wrong code", remote);
            throw InvalidRequestException.of("code", "that code does not match (or was already used); two-factor login stays on",
                    "two-factor.off.code");
        }
        twoFactor.forget(user.getId());
        audit.account(username, AuditLog.TWO_FACTOR_DISABLED, "two-factor login turned off by its owner", remote);
        sessions.end(username, keepSessionId, "two-factor login turned off", remote);
    }

    /** Someone allowed to manage {@code user} resets it; all of the user's sessions end. */
    public void reset(UserEntity user, String by, String remote) {
        boolean wasOn = twoFactor.forget(user.getId());
        audit.account(by, AuditLog.TWO_FACTOR_RESET, "reset the two-factor login of " + user.getUsername()
                + (wasOn ? "" : " (it was not on)"), remote);
        sessions.end(user.getUsername(), null, "two-factor login reset by " + by, remote);
    }
}
