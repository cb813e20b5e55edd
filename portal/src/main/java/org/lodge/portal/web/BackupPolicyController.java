package org.lodge.portal.web;

import java.util.UUID;
import org.lodge.provisioning.BackupQuotaService;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff forms for backups: a tenant's quota (tenant page). */
@Controller
public class BackupPolicyController {

    private final BackupQuotaService quotas;
    private final MessageSource messages;

    public BackupPolicyController(BackupQuotaService quotas, MessageSource messages) {
        this.quotas = quotas;
        this.messages = messages;
    }

    @PostMapping("/tenants/{id}/backup-quota")
    public String quota(@PathVariable UUID id, @RequestParam(defaultValue = "") String quota, RedirectAttributes redirect) {
        try {
            quotas.setQuota(id, quota);
            redirect.addFlashAttribute("message", messages.getMessage(quota.isBlank() ? "backup.quota.removed"
                    : "backup.quota.saved", null, LocaleContextHolder.getLocale()));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/tenants/" + id;
    }
}
