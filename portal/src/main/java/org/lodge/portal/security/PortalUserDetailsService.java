package org.lodge.portal.security;

import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Loads users, and locks one out after too many recent failed logins (ASVS V2.2.1). */
@Service
public class PortalUserDetailsService implements UserDetailsService {

    private final UserRepository users;
    private final AuditLog audit;
    private final LoginProperties login;

    public PortalUserDetailsService(UserRepository users, AuditLog audit, LoginProperties login) {
        this.users = users;
        this.audit = audit;
        this.login = login;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserEntity user = users.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
        boolean locked = audit.recentFailures(username, login.window()) >= login.maxFailures();
        return new PortalUser(user.getUsername(), user.getPasswordHash(), locked, user.getRole(), user.getTenantId());
    }
}
