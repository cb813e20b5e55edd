package org.lodge.portal.security;

import java.util.List;
import java.util.UUID;
import org.lodge.portal.tenant.Role;
import org.lodge.provisioning.ScopedCaller;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** The logged-in user, with the tenant scope every query of theirs is limited to. */
public class PortalUser extends User implements ScopedCaller {

    private final Role role;
    private final UUID tenantId;
    private final boolean mustChangePassword;

    public PortalUser(String username, String passwordHash, boolean locked, Role role, UUID tenantId) {
        this(username, passwordHash, locked, role, tenantId, false, false);
    }

    public PortalUser(String username, String passwordHash, boolean locked, Role role, UUID tenantId,
                      boolean disabled, boolean mustChangePassword) {
        super(username, passwordHash, !disabled, true, true, !locked,
                List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
        this.role = role;
        this.tenantId = tenantId;
        this.mustChangePassword = mustChangePassword;
    }

    /** Logged in with a password someone else chose (as it stood at login). */
    public boolean mustChangePassword() {
        return mustChangePassword;
    }

    public boolean isStaff() {
        return role == Role.STAFF;
    }

    /** A tenant administrator: a customer who also manages the users of their own tenant. */
    public boolean isTenantAdmin() {
        return role == Role.TENANT_ADMIN;
    }

    public Role getRole() {
        return role;
    }

    public UUID getTenantId() {
        return tenantId;
    }

    @Override
    public TenantScope scope() {
        return isStaff() ? TenantScope.all() : TenantScope.of(tenantId);
    }
}
