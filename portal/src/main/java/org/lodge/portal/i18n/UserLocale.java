package org.lodge.portal.i18n;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.context.i18n.TimeZoneAwareLocaleContext;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleContextResolver;

/**
 * Which language and time zone a page is written in: the logged-in person's saved choice first,
 * then the language switch's cookie (people not logged in), then the browser's Accept-Language,
 * then English. The time zone is the saved one, else the portal's zone (lodge.web.time-zone,
 * Europe/Rome by default: the zone invoices are dated in). The saved choice is read once per
 * session and only when a page asks for it, so API calls cost no query.
 */
@Component("localeResolver")
public class UserLocale implements LocaleContextResolver {

    public static final List<Locale> SUPPORTED = List.of(Locale.ENGLISH, Locale.ITALIAN);
    static final String COOKIE = "lodge-lang";
    private static final String SESSION = UserLocale.class.getName() + ".choice";

    /** One person's saved choice, kept in their session (either part may be null: not chosen). */
    record Choice(String username, String language, String timeZone) implements Serializable {
    }

    private final UserRepository users;
    private final ZoneId defaultZone;

    public UserLocale(UserRepository users, @Value("${lodge.web.time-zone:Europe/Rome}") ZoneId defaultZone) {
        this.users = users;
        this.defaultZone = defaultZone;
    }

    /** A supported language for the code ("it", "en"), or null. */
    public static Locale supported(String code) {
        return code == null ? null : SUPPORTED.stream().filter(l -> l.getLanguage().equals(code)).findFirst().orElse(null);
    }

    /** A valid zone id, or null. */
    public static ZoneId zone(String id) {
        try {
            return id == null || id.isBlank() ? null : ZoneId.of(id.strip());
        } catch (DateTimeException e) {
            return null;
        }
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    @Override
    public LocaleContext resolveLocaleContext(HttpServletRequest request) {
        return new TimeZoneAwareLocaleContext() {
            private Choice choice;

            private Choice choice() {
                if (choice == null) {
                    choice = saved(request);
                }
                return choice;
            }

            @Override
            public Locale getLocale() {
                Locale saved = supported(choice().language());
                return saved != null ? saved : unsaved(request);
            }

            @Override
            public TimeZone getTimeZone() {
                ZoneId saved = zone(choice().timeZone());
                return TimeZone.getTimeZone(saved != null ? saved : defaultZone);
            }
        };
    }

    @Override
    public Locale resolveLocale(HttpServletRequest request) {
        Locale locale = resolveLocaleContext(request).getLocale();
        return locale == null ? Locale.ENGLISH : locale;
    }

    @Override
    public void setLocaleContext(HttpServletRequest request, HttpServletResponse response, LocaleContext context) {
        Locale locale = context == null ? null : context.getLocale();
        remember(request, response, locale == null ? null : locale.getLanguage());
    }

    @Override
    public void setLocale(HttpServletRequest request, HttpServletResponse response, Locale locale) {
        remember(request, response, locale == null ? null : locale.getLanguage());
    }

    /** Saves the language for the logged-in person (and in a cookie for the login page). */
    public void remember(HttpServletRequest request, HttpServletResponse response, String language) {
        Cookie cookie = new Cookie(COOKIE, supported(language) == null ? "" : language);
        cookie.setPath(request.getContextPath().isEmpty() ? "/" : request.getContextPath());
        cookie.setHttpOnly(true);
        cookie.setMaxAge(supported(language) == null ? 0 : 365 * 24 * 3600);
        response.addCookie(cookie);
        String username = username();
        if (username != null) {
            users.findByUsername(username).ifPresent(user -> {
                user.choose(supported(language) == null ? null : language, user.getTimeZone());
                users.save(user);
                forget(request);
            });
        }
    }

    /** The saved choice changed (account page): read it again on the next page. */
    public void forget(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.removeAttribute(SESSION);
        }
    }

    private Choice saved(HttpServletRequest request) {
        String username = username();
        if (username == null) {
            return new Choice(null, null, null);
        }
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(SESSION) instanceof Choice kept && username.equals(kept.username())) {
            return kept;
        }
        Choice found = users.findByUsername(username)
                .map((UserEntity u) -> new Choice(username, u.getLanguage(), u.getTimeZone()))
                .orElse(new Choice(username, null, null));
        if (session != null) {
            session.setAttribute(SESSION, found);
        }
        return found;
    }

    private static Locale unsaved(HttpServletRequest request) {
        if (request.getCookies() != null) {
            for (Cookie cookie : request.getCookies()) {
                Locale chosen = COOKIE.equals(cookie.getName()) ? supported(cookie.getValue()) : null;
                if (chosen != null) {
                    return chosen;
                }
            }
        }
        Locale asked = asked(request);
        return asked != null ? asked : Locale.ENGLISH;
    }

    /** The first supported language of the request's Accept-Language, or null (no header, none supported). */
    public static Locale asked(HttpServletRequest request) {
        if (request.getHeader("Accept-Language") != null) {
            for (Locale wanted : Collections.list(request.getLocales())) {
                Locale match = supported(wanted.getLanguage());
                if (match != null) {
                    return match;
                }
            }
        }
        return null;
    }

    private static String username() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken ? null : auth.getName();
    }
}
