package org.lodge.portal.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Someone who logged in with a password another person chose (a new user, a reset) is sent to
 * the account page to choose their own before anything else. Only such sessions ask the database.
 */
public final class FirstPasswordGate extends OncePerRequestFilter {

    private static final List<String> OPEN_PATHS = List.of("/account", "/logout", "/login", "/css/", "/js/", "/error",
            "/favicon.ico");

    private final UserRepository users;

    FirstPasswordGate(UserRepository users) {
        this.users = users;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (SecurityContextHolder.getContext().getAuthentication() != null
                && SecurityContextHolder.getContext().getAuthentication().getPrincipal() instanceof PortalUser user
                && user.mustChangePassword() && !open(request)
                && users.findByUsername(user.getUsername()).map(UserEntity::mustChangePassword).orElse(false)) {
            response.sendRedirect(request.getContextPath() + "/account?change");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean open(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return OPEN_PATHS.stream().anyMatch(open -> path.equals(open) || path.startsWith(open.endsWith("/") ? open : open + "/"));
    }
}
