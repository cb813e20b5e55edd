package org.lodge.portal.web;

import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupQuotaService;
import org.lodge.provisioning.BackupPolicyService;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff forms for backups: a tenant's quota and default policy (tenant page), a jail's own policy (unit page). */
@Controller
public class BackupPolicyController {

    private final BackupQuotaService quotas;
    private final BackupPolicyService policies;
    private final MessageSource messages;
    private final org.lodge.portal.i18n.Texts texts;

    public BackupPolicyController(BackupQuotaService quotas, BackupPolicyService policies, MessageSource messages,
                                  org.lodge.portal.i18n.Texts texts) {
        this.quotas = quotas;
        this.policies = policies;
        this.messages = messages;
        this.texts = texts;
    }

    /** The form's fields; an unchecked box is absent, so "enabled" defaults to false. */
    public record PolicyForm(String cron, Integer jitterSeconds, Boolean enabled, Integer keepLast, Integer keepHourly,
                             Integer keepDaily, Integer keepWeekly, Integer keepMonthly, Integer keepYearly) {

        BackupPolicyService.Schedule schedule() {
            return new BackupPolicyService.Schedule(cron, jitterSeconds, Boolean.TRUE.equals(enabled), keepLast, keepHourly,
                    keepDaily, keepWeekly,
                    keepMonthly, keepYearly);
        }
    }

    @PostMapping("/units/{id}/backups/schedule")
    public String unitPolicy(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, PolicyForm form,
                             RedirectAttributes redirect) {
        return saved(redirect, "redirect:/units/" + id, () -> policies.setUnitSchedule(id, form.schedule(), user.scope()));
    }

    @PostMapping("/tenants/{id}/backup-schedule")
    public String tenantPolicy(@PathVariable UUID id, PolicyForm form, RedirectAttributes redirect) {
        return saved(redirect, "redirect:/tenants/" + id, () -> policies.setTenantSchedule(id, form.schedule()));
    }

    private String saved(RedirectAttributes redirect, String back, Runnable save) {
        try {
            save.run();
            redirect.addFlashAttribute("message", messages.getMessage("backup.policy.saved", null,
                    LocaleContextHolder.getLocale()));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return back;
    }

    @PostMapping("/tenants/{id}/backup-quota")
    public String quota(@PathVariable UUID id, @RequestParam(defaultValue = "") String quota, RedirectAttributes redirect) {
        try {
            quotas.setQuota(id, quota);
            redirect.addFlashAttribute("message", messages.getMessage(quota.isBlank() ? "backup.quota.removed"
                    : "backup.quota.saved", null, LocaleContextHolder.getLocale()));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:/tenants/" + id;
    }
}
