package org.lodge.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Where a password alone must not be enough. On the web, with {@code lodge.security.require-2fa-for-staff}
 * on, staff without TOTP are sent to enrolment before anything else. On the API, HTTP Basic is
 * refused for accounts with TOTP on (a password alone would skip the second factor): they use an
 * API token, made in a session that passed both steps.
 */
public final class SecondFactorGate extends OncePerRequestFilter {

    public static final String ENROL_PAGE = "/account/2fa";
    private static final List<String> OPEN_PATHS = List.of(ENROL_PAGE, "/logout", "/login", "/css/", "/js/", "/error",
            "/favicon.ico");

    private final TwoFactor twoFactor;
    private final boolean api;
    private final boolean requireForStaff;

    private SecondFactorGate(TwoFactor twoFactor, boolean api, boolean requireForStaff) {
        this.twoFactor = twoFactor;
        this.api = api;
        this.requireForStaff = requireForStaff;
    }

    static SecondFactorGate web(TwoFactor twoFactor, boolean requireForStaff) {
        return new SecondFactorGate(twoFactor, false, requireForStaff);
    }

    /** For the API chain, after {@link BasicAuthenticationFilter}. */
    static SecondFactorGate api(TwoFactor twoFactor) {
        return new SecondFactorGate(twoFactor, true, false);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (api && auth != null && auth.getPrincipal() instanceof PortalUser user
                && !(auth instanceof ApiTokenFilter.TokenAuthentication) && twoFactor.enabled(user.getUsername())) {
            SecurityContextHolder.clearContext();
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                    + "\"detail\":\"this account uses two-factor login: call the API with an API token, not a password\"}");
            return;
        }
        if (!api && requireForStaff && auth != null && auth.getPrincipal() instanceof PortalUser user && user.isStaff()
                && !open(request) && !twoFactor.enabled(user.getUsername())) {
            response.sendRedirect(request.getContextPath() + ENROL_PAGE);
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean open(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return OPEN_PATHS.stream().anyMatch(path::startsWith);
    }
}
