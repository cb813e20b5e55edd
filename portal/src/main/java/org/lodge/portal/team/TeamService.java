package org.lodge.portal.team;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.account.TwoFactorOff;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.security.UserSessions;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantService;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * A tenant administrator's users: only those of their own tenant, whatever id is asked for
 * (another tenant's user answers 404, like a missing one). New users and reset passwords get a
 * random password shown once, which its owner must change at the next login; disabling ends the
 * user's sessions and their API tokens stop working. Everything is audited.
 */
@Service
public class TeamService {

    public static final String USER_CREATED = "USER_CREATED";
    public static final String USER_DISABLED = "USER_DISABLED";
    public static final String USER_ENABLED = "USER_ENABLED";
    public static final String PASSWORD_RESET = "PASSWORD_RESET";

    private final UserRepository users;
    private final TenantService tenants;
    private final PasswordEncoder encoder;
    private final AuditLog audit;
    private final UserSessions sessions;
    private final TwoFactorOff twoFactorOff;
    private final SecureRandom random = new SecureRandom();

    public TeamService(UserRepository users, TenantService tenants, PasswordEncoder encoder, AuditLog audit,
                       UserSessions sessions, TwoFactorOff twoFactorOff) {
        this.twoFactorOff = twoFactorOff;
        this.users = users;
        this.tenants = tenants;
        this.encoder = encoder;
        this.audit = audit;
        this.sessions = sessions;
    }

    public record Member(UUID id, String username, Role role, boolean disabled, boolean mustChangePassword,
                         Instant createdAt) {
    }

    /** A password chosen here, shown this once. */
    public record OneTimePassword(String username, String password) {
    }

    public List<Member> members(PortalUser admin) {
        return tenants.usersOf(tenantOf(admin)).stream().map(TeamService::member).toList();
    }

    public OneTimePassword create(PortalUser admin, String username, Role role, String remote) {
        UUID tenant = tenantOf(admin);
        if (role != Role.CUSTOMER && role != Role.TENANT_ADMIN) {
            throw roleRefused();
        }
        String password = newPassword();
        UserEntity user = tenants.createUser(username, password, role, tenant);
        user.setOneTimePasswordHash(user.getPasswordHash());
        users.save(user);
        audit.account(admin.getUsername(), USER_CREATED, "created " + role + " " + username, remote);
        return new OneTimePassword(username, password);
    }

    public OneTimePassword resetPassword(PortalUser admin, UUID id, String remote) {
        UserEntity user = member(admin, id);
        String password = newPassword();
        user.setOneTimePasswordHash(encoder.encode(password));
        users.save(user);
        audit.account(admin.getUsername(), PASSWORD_RESET, "reset the password of " + user.getUsername(), remote);
        sessions.end(user.getUsername(), null, "password reset by " + admin.getUsername(), remote);
        return new OneTimePassword(user.getUsername(), password);
    }

    public void disable(PortalUser admin, UUID id, String remote) {
        UserEntity user = member(admin, id);
        if (user.getUsername().equals(admin.getUsername())) {
            throw InvalidRequestException.of("user", "you cannot disable yourself: ask another administrator",
                    "team.disable-self");
        }
        user.disable(Instant.now());
        users.save(user);
        audit.account(admin.getUsername(), USER_DISABLED, "disabled " + user.getUsername(), remote);
        sessions.end(user.getUsername(), null, "disabled by " + admin.getUsername(), remote);
    }

    /** Turns off a member's two-factor login (phone and recovery codes lost); their sessions end. */
    public void resetTwoFactor(PortalUser admin, UUID id, String remote) {
        twoFactorOff.reset(member(admin, id), admin.getUsername(), remote);
    }

    public void enable(PortalUser admin, UUID id, String remote) {
        UserEntity user = member(admin, id);
        user.disable(null);
        users.save(user);
        audit.account(admin.getUsername(), USER_ENABLED, "enabled " + user.getUsername(), remote);
    }

    /** A tenant's user may be given only these two roles. */
    static InvalidRequestException roleRefused() {
        return InvalidRequestException.of("role", "a tenant's user is a customer or a tenant administrator", "team.role");
    }

    private UserEntity member(PortalUser admin, UUID id) {
        UUID tenant = tenantOf(admin);
        return users.findById(id).filter(user -> tenant.equals(user.getTenantId()))
                .orElseThrow(() -> NotFoundException.of("user", id));
    }

    /** The admin's own tenant; anyone else is refused here too, not only by the URL rules. */
    private static UUID tenantOf(PortalUser admin) {
        if (admin == null || !admin.isTenantAdmin() || admin.getTenantId() == null) {
            throw new AccessDeniedException("only a tenant administrator manages a tenant's users");
        }
        return admin.getTenantId();
    }

    /** 128 random bits as 22 URL-safe characters. */
    private String newPassword() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Member member(UserEntity user) {
        return new Member(user.getId(), user.getUsername(), user.getRole(), user.isDisabled(),
                user.mustChangePassword(), user.getCreatedAt());
    }
}
