package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.lodge.portal.account.PasswordChange;
import org.lodge.portal.security.ApiTokens;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The user's own account: their password and their API tokens. */
@Controller
public class AccountController {

    private final PasswordChange passwords;
    private final ApiTokens tokens;
    private final Texts texts;

    public AccountController(PasswordChange passwords, ApiTokens tokens, Texts texts) {
        this.texts = texts;
        this.passwords = passwords;
        this.tokens = tokens;
    }

    @GetMapping("/account")
    public String account(@AuthenticationPrincipal PortalUser user, Model model) {
        return page(user, model);
    }

    @PostMapping("/account/password")
    public String changePassword(@AuthenticationPrincipal PortalUser user, @RequestParam String currentPassword,
                                 @RequestParam String newPassword, @RequestParam String confirmPassword,
                                 HttpServletRequest request, Model model, RedirectAttributes redirect) {
        try {
            if (!newPassword.equals(confirmPassword)) {
                throw InvalidRequestException.of("confirmPassword", "the two new passwords differ", "password.differ");
            }
            passwords.change(user.getUsername(), currentPassword, newPassword, request.getRemoteAddr(),
                    request.getSession().getId());
        } catch (InvalidRequestException e) {
            model.addAttribute("passwordErrors", texts.errors(e));
            return page(user, model);
        }
        redirect.addFlashAttribute("messageKey", "flash.password-changed");
        return "redirect:/account";
    }

    /** Answers with the page itself, not a redirect: the token is in this one response and nowhere else. */
    @PostMapping("/account/tokens")
    public String createToken(@AuthenticationPrincipal PortalUser user, @RequestParam String name,
                              @RequestParam(defaultValue = "false") boolean readOnly,
                              @RequestParam(defaultValue = "90") String days, HttpServletRequest request,
                              HttpServletResponse response, Model model) {
        try {
            ApiTokens.Issued issued = tokens.create(user.getUsername(), name, readOnly, parseDays(days),
                    request.getRemoteAddr());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            model.addAttribute("issued", issued);
        } catch (InvalidRequestException e) {
            model.addAttribute("tokenErrors", texts.errors(e));
        }
        return page(user, model);
    }

    @PostMapping("/account/tokens/{id}/revoke")
    public String revoke(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, HttpServletRequest request,
                         RedirectAttributes redirect) {
        tokens.revoke(user.getUsername(), id, request.getRemoteAddr());
        redirect.addFlashAttribute("messageKey", "flash.token-revoked");
        return "redirect:/account";
    }

    private static int parseDays(String days) {
        try {
            return Integer.parseInt(days.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("days", "'" + days.strip() + "' is not a whole number of days", "days.not-whole",
                    days.strip());
        }
    }

    private String page(PortalUser user, Model model) {
        model.addAttribute("tokens", tokens.list(user.getUsername()));
        model.addAttribute("maxDays", ApiTokens.MAX_DAYS);
        return "account/account";
    }
}
