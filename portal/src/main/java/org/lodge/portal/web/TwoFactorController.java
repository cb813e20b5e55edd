package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.lodge.portal.account.TwoFactorOff;
import org.lodge.portal.security.AuditLog;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.lodge.portal.security.PasswordVerified;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.security.TwoFactor;
import org.lodge.portal.security.TwoFactorLogin;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** TOTP: the code step of a login, and enrolment on the account (QR code, first code, recovery codes). */
@Controller
public class TwoFactorController {

    private final TwoFactorLogin login;
    private final TwoFactor twoFactor;
    private final AuditLog audit;

    private final Texts texts;
    private final TwoFactorOff off;

    public TwoFactorController(TwoFactorLogin login, TwoFactor twoFactor, AuditLog audit, TwoFactorOff off, Texts texts) {
        this.off = off;
        this.texts = texts;
        this.login = login;
        this.twoFactor = twoFactor;
        this.audit = audit;
    }

    @GetMapping(TwoFactorLogin.CODE_PAGE)
    public String codeForm() {
        return login.halfway().isPresent() ? "login-code" : "redirect:/login";
    }

    @PostMapping(TwoFactorLogin.CODE_PAGE)
    public String code(@RequestParam(defaultValue = "") String code, HttpServletRequest request,
                       HttpServletResponse response, Model model) throws IOException, ServletException {
        Optional<PasswordVerified> halfway = login.halfway();
        if (halfway.isEmpty()) {
            return "redirect:/login";
        }
        try {
            if (login.complete(halfway.get(), code, request, response)) {
                return null;
            }
        } catch (TwoFactorLogin.TooManyAttempts e) {
            login.abandon(request, response);
            return "redirect:/login?error";
        }
        model.addAttribute("wrong", true);
        return "login-code";
    }

    @GetMapping(TwoFactorLogin.CODE_PAGE + "/cancel")
    public String cancel(HttpServletRequest request, HttpServletResponse response) {
        login.abandon(request, response);
        return "redirect:/login";
    }

    /** Enrolment: a QR code for a pending secret (made on first view), or the state when TOTP is on. */
    @GetMapping("/account/2fa")
    public String enrolment(@AuthenticationPrincipal PortalUser user, HttpServletResponse response, Model model) {
        String name = user.getUsername();
        if (twoFactor.enabled(name)) {
            model.addAttribute("recoveryLeft", twoFactor.recoveryCodesLeft(name));
        } else {
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("enrolment", twoFactor.pending(name).orElseGet(() -> twoFactor.start(name)));
        }
        model.addAttribute("enabled", twoFactor.enabled(name));
        return "account/two-factor";
    }

    /** Its owner turns TOTP off with their password and a current code; their other sessions end. */
    @PostMapping("/account/2fa/off")
    public String disable(@AuthenticationPrincipal PortalUser user, @RequestParam(defaultValue = "") String password,
                          @RequestParam(defaultValue = "") String code, HttpServletRequest request,
                          HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            off.disable(user.getUsername(), password, code, request.getRemoteAddr(), request.getSession().getId());
        } catch (InvalidRequestException e) {
            model.addAttribute("offErrors", texts.errors(e));
            return enrolment(user, response, model);
        }
        redirect.addFlashAttribute("messageKey", "selfservice.2fa.off.done");
        return "redirect:/account";
    }

    /** The first code turns TOTP on; the answer is the one page that shows the recovery codes. */
    @PostMapping("/account/2fa")
    public String confirm(@AuthenticationPrincipal PortalUser user, @RequestParam(defaultValue = "") String code,
                          HttpServletRequest request, HttpServletResponse response, Model model) {
        String name = user.getUsername();
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        try {
            List<String> recovery = twoFactor.confirm(name, code);
            audit.account(name, AuditLog.TWO_FACTOR_ENABLED, "two-factor login turned on", request.getRemoteAddr());
            model.addAttribute("recoveryCodes", recovery);
            model.addAttribute("enabled", true);
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", texts.errors(e));
            model.addAttribute("enabled", false);
            twoFactor.pending(name).ifPresent(enrolment -> model.addAttribute("enrolment", enrolment));
        }
        return "account/two-factor";
    }
}
