package org.lodge.portal.team;

import org.lodge.portal.i18n.Texts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.Role;
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

/** "Your team": a tenant administrator's page for their tenant's users (TENANT_ADMIN only, SecurityConfig). */
@Controller
public class TeamController {

    private final TeamService team;

    private final Texts texts;

    public TeamController(TeamService team, Texts texts) {
        this.team = team;
        this.texts = texts;
    }

    @GetMapping("/team")
    public String list(@AuthenticationPrincipal PortalUser admin, Model model) {
        model.addAttribute("members", team.members(admin));
        return "team/list";
    }

    /** Answers with the page itself, not a redirect: the password is in this one response only. */
    @PostMapping("/team/users")
    public String create(@AuthenticationPrincipal PortalUser admin, @RequestParam String username,
                         @RequestParam(defaultValue = "CUSTOMER") String role, HttpServletRequest request,
                         HttpServletResponse response, Model model) {
        try {
            oneTime(response, model, team.create(admin, username.strip(), role(role), request.getRemoteAddr()));
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", texts.errors(e));
        }
        return list(admin, model);
    }

    @PostMapping("/team/users/{id}/reset-password")
    public String reset(@AuthenticationPrincipal PortalUser admin, @PathVariable UUID id, HttpServletRequest request,
                        HttpServletResponse response, Model model) {
        oneTime(response, model, team.resetPassword(admin, id, request.getRemoteAddr()));
        return list(admin, model);
    }

    @PostMapping("/team/users/{id}/disable")
    public String disable(@AuthenticationPrincipal PortalUser admin, @PathVariable UUID id, HttpServletRequest request,
                          RedirectAttributes redirect) {
        try {
            team.disable(admin, id, request.getRemoteAddr());
            redirect.addFlashAttribute("messageKey", "flash.user-disabled");
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.errors(e).values().iterator().next());
        }
        return "redirect:/team";
    }

    @PostMapping("/team/users/{id}/reset-2fa")
    public String resetTwoFactor(@AuthenticationPrincipal PortalUser admin, @PathVariable UUID id,
                                 HttpServletRequest request, RedirectAttributes redirect) {
        team.resetTwoFactor(admin, id, request.getRemoteAddr());
        redirect.addFlashAttribute("messageKey", "selfservice.2fa.reset.done");
        return "redirect:/team";
    }

    @PostMapping("/team/users/{id}/enable")
    public String enable(@AuthenticationPrincipal PortalUser admin, @PathVariable UUID id, HttpServletRequest request,
                         RedirectAttributes redirect) {
        team.enable(admin, id, request.getRemoteAddr());
        redirect.addFlashAttribute("messageKey", "flash.user-enabled");
        return "redirect:/team";
    }

    private static void oneTime(HttpServletResponse response, Model model, TeamService.OneTimePassword issued) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        model.addAttribute("issued", issued);
    }

    private static Role role(String role) {
        try {
            return Role.valueOf(role.strip());
        } catch (IllegalArgumentException e) {
            throw TeamService.roleRefused();
        }
    }
}
