package org.lodge.portal.i18n;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.ZoneId;
import org.lodge.portal.account.OwnEmail;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The language switch of every page, and the account page's language, time zone and mail address. */
@Controller
public class LanguageController {

    private final UserLocale locales;
    private final UserRepository users;
    private final Texts texts;
    private final OwnEmail ownEmail;

    public LanguageController(UserLocale locales, UserRepository users, Texts texts, OwnEmail ownEmail) {
        this.locales = locales;
        this.users = users;
        this.texts = texts;
        this.ownEmail = ownEmail;
    }

    /** Back to the page the switch was pressed on (its path only: never another site). */
    @PostMapping("/language")
    public String switchTo(@RequestParam String lang, HttpServletRequest request, HttpServletResponse response) {
        locales.remember(request, response, lang);
        return "redirect:" + back(request.getHeader(HttpHeaders.REFERER));
    }

    @PostMapping("/account/preferences")
    @Transactional
    public String save(Authentication auth, @RequestParam String lang, @RequestParam String timeZone,
                       @RequestParam(defaultValue = "") String email, HttpServletRequest request, HttpServletResponse response, RedirectAttributes redirect) {
        ZoneId zone = UserLocale.zone(timeZone);
        if (!timeZone.isBlank() && zone == null) {
            redirect.addFlashAttribute("error", texts.get("account.prefs.bad-zone", timeZone.strip()));
            return "redirect:/account";
        }
        try {
            OwnEmail.check(email);
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/account";
        }
        locales.remember(request, response, lang);
        users.findByUsername(auth.getName()).ifPresent(user -> {
            user.choose(user.getLanguage(), zone == null ? null : zone.getId());
            users.save(user);
        });
        ownEmail.set(auth.getName(), email, request.getRemoteAddr());
        locales.forget(request);
        redirect.addFlashAttribute("messageKey", "account.prefs.saved");
        return "redirect:/account";
    }

    static String back(String referer) {
        if (referer == null) {
            return "/units";
        }
        try {
            URI uri = new URI(referer);
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/language")) {
                return "/units";
            }
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        } catch (URISyntaxException e) {
            return "/units";
        }
    }
}
