package org.lodge.portal.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.i18n.UserLocale;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <token>} on the API: a token in force authenticates its owner for
 * this request only (the API keeps no session); an unknown, expired or revoked one is answered
 * 401 at once, never passed on to HTTP Basic. A read-only token may only read: anything but GET,
 * HEAD or OPTIONS is refused with 403 before any controller runs. Both refusals are problems with a
 * {@code code} and say title and detail as ApiErrors does: Accept-Language, else the token owner's
 * saved language, else English.
 */
public class ApiTokenFilter extends OncePerRequestFilter {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final ApiTokens tokens;
    private final UserDetailsService users;
    private final Texts texts;
    private final UserRepository userRows;
    private final ObjectMapper json = new ObjectMapper();

    public ApiTokenFilter(ApiTokens tokens, UserDetailsService users, Texts texts, UserRepository userRows) {
        this.tokens = tokens;
        this.users = users;
        this.texts = texts;
        this.userRows = userRows;
    }

    /** The authentication a token gives: its owner as principal, so every service sees the same user and scope. */
    public static final class TokenAuthentication extends AbstractAuthenticationToken {
        private final PortalUser user;
        private final ApiTokens.Holder holder;

        TokenAuthentication(PortalUser user, ApiTokens.Holder holder) {
            super(user.getAuthorities());
            this.user = user;
            this.holder = holder;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public PortalUser getPrincipal() {
            return user;
        }

        public boolean readOnly() {
            return holder.readOnly();
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            chain.doFilter(request, response);
            return;
        }
        Optional<ApiTokens.Holder> holder = tokens.authenticate(header.substring(7).strip(), request.getRemoteAddr());
        Optional<PortalUser> user = holder.flatMap(this::owner);
        if (user.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            problem(response, 401, locale(request, null), "token.invalid");
            return;
        }
        if (holder.get().readOnly() && !READS.contains(request.getMethod())) {
            problem(response, 403, locale(request, holder.get().username()), "token.read-only");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new TokenAuthentication(user.get(), holder.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private Optional<PortalUser> owner(ApiTokens.Holder holder) {
        try {
            // A disabled user's tokens open nothing either (the throttle's lock is for passwords only).
            return Optional.of((PortalUser) users.loadUserByUsername(holder.username())).filter(PortalUser::isEnabled);
        } catch (UsernameNotFoundException e) {
            return Optional.empty();
        }
    }

    private Locale locale(HttpServletRequest request, String owner) {
        Locale asked = UserLocale.asked(request);
        if (asked != null || owner == null) {
            return asked != null ? asked : Locale.ENGLISH;
        }
        Locale saved = UserLocale.supported(userRows.findByUsername(owner).map(UserEntity::getLanguage).orElse(null));
        return saved != null ? saved : Locale.ENGLISH;
    }

    private void problem(HttpServletResponse response, int status, Locale locale, String code) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", texts.get(locale, "api.title." + status));
        body.put("status", status);
        body.put("detail", texts.get(locale, "api." + code));
        body.put("code", code);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body);
    }
}
