package org.lodge.portal.console;

import org.lodge.portal.i18n.Texts;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.ConsoleEndpoint;
import org.lodge.provisioning.ConsoleSessions;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The console page: noVNC (VM) or xterm.js (jail), connected through {@link ConsoleProxy} with a fresh ticket. */
@Controller
public class ConsoleController {

    private final UnitService units;
    private final ConsoleTickets tickets;
    private final ConsoleSessions sessions;

    private final Texts texts;

    public ConsoleController(UnitService units, ConsoleTickets tickets, ConsoleSessions sessions, Texts texts) {
        this.texts = texts;
        this.units = units;
        this.tickets = tickets;
        this.sessions = sessions;
    }

    @GetMapping("/units/{id}/console")
    public String console(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, Model model,
                          RedirectAttributes redirect) {
        ConsoleEndpoint endpoint;
        try {
            endpoint = units.console(id, user.scope());
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/units/" + id;
        }
        // Said here in words; the node's gateway holds the cap for real when the console connects.
        if (sessions.openBy(user.getUsername()) >= sessions.limit()) {
            redirect.addFlashAttribute("error", texts.get("flash.console-refused", sessions.limit()));
            return "redirect:/units/" + id;
        }
        model.addAttribute("unit", units.find(id, user.scope()));
        model.addAttribute("token", tickets.issue(user.getUsername(), id, Purpose.PAGE));
        model.addAttribute("path", ConsoleConfig.PATH);
        // A VM's screen in noVNC, a jail's text console in xterm.js: the same proxy carries both.
        return endpoint.kind() == UnitKind.VM ? "console/vnc" : "console/tty";
    }
}
