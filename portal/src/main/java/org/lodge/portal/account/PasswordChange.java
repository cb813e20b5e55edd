package org.lodge.portal.account;

import java.util.ArrayList;
import java.util.List;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.LoginProperties;
import org.lodge.portal.security.UserSessions;
import org.lodge.portal.tenant.TenantService;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Everyone changes their own password, proving the current one first (a session left open must
 * not be enough). Wrong current passwords count with failed logins towards the login throttle,
 * so this form cannot be used to guess; every change and every refusal is audited. Not
 * transactional on purpose: the audit line of a refusal must survive the refusal.
 */
@Service
public class PasswordChange {

    private static final List<String> FAILURES = List.of("LOGIN_FAILED", AuditLog.PASSWORD_CHANGE_FAILED);

    private final UserRepository users;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final LoginProperties login;
    private final UserSessions sessions;

    public PasswordChange(UserRepository users, PasswordEncoder encoder, AuditLog audit, LoginProperties login,
                          UserSessions sessions) {
        this.sessions = sessions;
        this.users = users;
        this.encoder = encoder;
        this.audit = audit;
        this.login = login;
    }

    /** Changes the password; every other web session of the user ends (API calls keep no session). */
    public void change(String username, String current, String next, String remote) {
        change(username, current, next, remote, null);
    }

    /** As above, keeping {@code keepSessionId}: the session that made the change. */
    public void change(String username, String current, String next, String remote, String keepSessionId) {
        UserEntity user = users.findByUsername(username).orElseThrow(() -> NotFoundException.of("user", username));
        if (audit.recentFailures(username, login.window(), FAILURES) >= login.maxFailures()) {
            audit.account(username, AuditLog.PASSWORD_CHANGE_FAILED, "password change refused: throttled", remote);
            throw InvalidRequestException.of("currentPassword", "too many wrong passwords lately: try again in "
                    + login.window().toMinutes() + " minutes", "password.throttled", login.window().toMinutes());
        }
        if (current == null || !encoder.matches(current, user.getPasswordHash())) {
            audit.account(username, AuditLog.PASSWORD_CHANGE_FAILED, "password change refused: wrong current password",
                    remote);
            throw InvalidRequestException.of("currentPassword", "the current password is not right", "password.wrong");
        }
        List<InvalidInputException> problems = new ArrayList<>();
        if (next == null || next.length() < TenantService.MIN_PASSWORD || next.length() > TenantService.MAX_PASSWORD) {
            problems.addAll(TenantService.passwordLength("newPassword").problems());
        } else if (next.equals(current)) {
            problems.add(new InvalidInputException("newPassword", "the new password must differ from the current one",
                    "password.same"));
        } else if (next.equalsIgnoreCase(username)) {
            problems.add(new InvalidInputException("newPassword", "the new password must not be your username",
                    "password.username"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        user.changePasswordHash(encoder.encode(next));
        users.save(user);
        audit.account(username, AuditLog.PASSWORD_CHANGED, "password changed by its owner", remote);
        sessions.end(username, keepSessionId, "password changed", remote);
    }
}
