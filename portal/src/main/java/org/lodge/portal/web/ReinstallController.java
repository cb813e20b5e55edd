package org.lodge.portal.web;

import java.util.UUID;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.ReinstallService;
import org.lodge.provisioning.UnitService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The reinstall of a unit: a page that says what is lost and asks for the domain typed, then the job. */
@Controller
public class ReinstallController {

    private final UnitService units;
    private final ReinstallService reinstalls;
    private final Texts texts;

    public ReinstallController(UnitService units, ReinstallService reinstalls, Texts texts) {
        this.units = units;
        this.reinstalls = reinstalls;
        this.texts = texts;
    }

    @GetMapping("/units/{id}/reinstall")
    public String confirm(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, Model model) {
        model.addAttribute("unit", units.find(id, user.scope()));
        model.addAttribute("templates", reinstalls.templates(id, user.scope()));
        return "units/reinstall";
    }

    @PostMapping("/units/{id}/actions/reinstall")
    public String reinstall(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                            @RequestParam(defaultValue = "") String confirm,
                            @RequestParam(required = false) String template, Model model) {
        try {
            return "redirect:/jobs/" + reinstalls.requestReinstall(id, confirm, template, user.scope(),
                    user.getUsername()).id();
        } catch (InvalidRequestException e) {
            model.addAttribute("errors", texts.errors(e));
            model.addAttribute("chosen", template);
            return confirm(user, id, model);
        }
    }
}
