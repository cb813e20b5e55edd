package org.lodge.portal.web;

import java.util.List;
import java.util.UUID;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BatchView;
import org.lodge.provisioning.BulkAction;
import org.lodge.provisioning.BulkActions;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Bulk actions from the units page's checkboxes, and the batch page that follows their jobs. */
@Controller
public class BatchController {

    /** One poll of the batch page: each unit's job state, and the counts. */
    public record BatchChunk(List<BatchView.Item> items, BatchView.Summary summary) {
    }

    private final BulkActions bulk;
    private final Texts texts;

    public BatchController(BulkActions bulk, Texts texts) {
        this.bulk = bulk;
        this.texts = texts;
    }

    @PostMapping("/units/bulk")
    public String request(@AuthenticationPrincipal PortalUser user, @RequestParam(defaultValue = "") String action,
                          @RequestParam(required = false) List<UUID> unitIds, RedirectAttributes redirect) {
        try {
            BatchView batch = bulk.request(BulkAction.parse(action), unitIds, user.scope(), user.getUsername());
            return "redirect:/batches/" + batch.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/units";
        }
    }

    @GetMapping("/batches/{id}")
    public String page(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, Model model) {
        BatchView batch = bulk.find(id, user.scope());
        model.addAttribute("batch", batch);
        model.addAttribute("summary", batch.summary());
        return "batches/detail";
    }

    @GetMapping(value = "/batches/{id}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseBody
    public BatchChunk status(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        BatchView batch = bulk.find(id, user.scope());
        return new BatchChunk(batch.items(), batch.summary());
    }
}
