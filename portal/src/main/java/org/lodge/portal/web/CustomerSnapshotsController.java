package org.lodge.portal.web;

import java.util.UUID;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.CustomerSnapshotService;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff open a VM's snapshots to its customers, with a cap, from the unit page. */
@Controller
public class CustomerSnapshotsController {

    private final CustomerSnapshotService customerSnapshots;
    private final MessageSource messages;
    private final Texts texts;

    public CustomerSnapshotsController(CustomerSnapshotService customerSnapshots, MessageSource messages, Texts texts) {
        this.customerSnapshots = customerSnapshots;
        this.messages = messages;
        this.texts = texts;
    }

    @PostMapping("/units/{id}/customer-snapshots")
    public String allow(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                        @RequestParam(defaultValue = "") String cap, RedirectAttributes redirect) {
        try {
            CustomerSnapshotService.Allowance set = customerSnapshots.allow(id, cap, user.scope());
            redirect.addFlashAttribute("message", messages.getMessage("selfservice.snapshots.set.done",
                    new Object[] {set.cap()}, LocaleContextHolder.getLocale()));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.errors(e).values().iterator().next());
        }
        return "redirect:/units/" + id;
    }
}
