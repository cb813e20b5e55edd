package org.lodge.portal.i18n;

import java.time.ZoneId;
import java.util.List;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.portal.web.AccountController;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The account page's language and time zone form: what is saved, and the zones to pick from. */
@ControllerAdvice(assignableTypes = AccountController.class)
public class AccountPreferences {

    /** What the form shows: saved language and zone (null: not chosen), the default zone, suggestions, mail address. */
    public record Prefs(String language, String timeZone, String defaultZone, List<String> zones, String email) {
    }

    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.startsWith("Europe/") || z.startsWith("America/") || z.startsWith("Asia/") || z.equals("UTC"))
            .sorted().toList();

    private final UserRepository users;
    private final UserLocale locales;

    public AccountPreferences(UserRepository users, UserLocale locales) {
        this.users = users;
        this.locales = locales;
    }

    @ModelAttribute("prefs")
    public Prefs prefs(Authentication auth) {
        String zone = locales.defaultZone().getId();
        if (auth == null) {
            return new Prefs(null, null, zone, ZONES, null);
        }
        return users.findByUsername(auth.getName())
                .map(u -> new Prefs(u.getLanguage(), u.getTimeZone(), zone, ZONES, u.getEmail()))
                .orElse(new Prefs(null, null, zone, ZONES, null));
    }
}
