package org.lodge.portal.security;

import java.util.Optional;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Loads users; one whose attempts from this request's address are paused by the throttle comes
 * back locked (ASVS V2.2.1), one disabled by staff or a tenant administrator comes back disabled.
 */
@Service
public class PortalUserDetailsService implements UserDetailsService {

    private final UserRepository users;
    private final AuditLog audit;
    private final LoginThrottle throttle;

    public PortalUserDetailsService(UserRepository users, AuditLog audit, LoginThrottle throttle) {
        this.users = users;
        this.audit = audit;
        this.throttle = throttle;
    }

    @Override
    public UserDetails loadUserByUsername(String username) {
        UserEntity user = users.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("unknown user"));
        String remote = remoteAddress();
        Optional<String> refusal = throttle.refusal(username, remote);
        refusal.ifPresent(reason -> audit.account(username, AuditLog.LOGIN_THROTTLED, reason, remote));
        return new PortalUser(user.getUsername(), user.getPasswordHash(), refusal.isPresent(), user.getRole(),
                user.getTenantId(), user.isDisabled(), user.mustChangePassword());
    }

    /** The address of the request being served (the filter chain runs inside Spring's request context). */
    private static String remoteAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest().getRemoteAddr() : null;
    }
}
