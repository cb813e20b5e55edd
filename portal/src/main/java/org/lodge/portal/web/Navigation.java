package org.lodge.portal.web;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * What the layout's navigation shows, worked out once per page ({@code th:with="nav=${@navigation.now()}"}):
 * the layout asked {@code sec:authorize} about a dozen times a page, and each one looked the
 * expression handler up and evaluated its SpEL again. A bean rather than a model attribute, so
 * that pages of exception handlers and of the container's error dispatch have it too.
 */
@Component("navigation")
public class Navigation {

    private static final AuthenticationTrustResolver TRUST = new AuthenticationTrustResolverImpl();

    /** Signed in (as {@code isAuthenticated()} says it), staff, a tenant's administrator, and the user's name. */
    public record Nav(boolean signedIn, boolean staff, boolean tenantAdmin, String name) {
    }

    public Nav now() {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (!TRUST.isAuthenticated(who)) {
            return new Nav(false, false, false, null);
        }
        return new Nav(true, has(who, "ROLE_STAFF"), has(who, "ROLE_TENANT_ADMIN"), who.getName());
    }

    private static boolean has(Authentication who, String role) {
        for (GrantedAuthority authority : who.getAuthorities()) {
            if (role.equals(authority.getAuthority())) {
                return true;
            }
        }
        return false;
    }
}
