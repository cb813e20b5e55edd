package org.lodge.portal.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.AuditLog;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupDeletionService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JobView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Staff delete one backup from the unit's page or the staff's Backups page, typing the unit's
 * domain to confirm; the job's page follows it. A refusal comes back to the page it came from.
 */
@Controller
public class BackupDeletionController {

    private final BackupDeletionService deletion;
    private final AuditLog audit;
    private final Texts texts;

    public BackupDeletionController(BackupDeletionService deletion, AuditLog audit, Texts texts) {
        this.deletion = deletion;
        this.audit = audit;
        this.texts = texts;
    }

    @PostMapping("/units/{id}/backups/{backupId}/delete")
    public String fromUnitPage(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                               @PathVariable UUID backupId, @RequestParam(defaultValue = "") String confirm,
                               HttpServletRequest request, RedirectAttributes redirect) {
        return delete(user, id, backupId, confirm, request, redirect, "redirect:/units/" + id);
    }

    @PostMapping("/backups/{backupId}/delete")
    public String fromBackupsPage(@AuthenticationPrincipal PortalUser user, @PathVariable UUID backupId,
                                  @RequestParam UUID unitId, @RequestParam(defaultValue = "") String confirm,
                                  HttpServletRequest request, RedirectAttributes redirect) {
        return delete(user, unitId, backupId, confirm, request, redirect, "redirect:/backups");
    }

    private String delete(PortalUser user, UUID unitId, UUID backupId, String confirm, HttpServletRequest request,
                          RedirectAttributes redirect, String back) {
        try {
            JobView job = deletion.requestDeletion(unitId, backupId, confirm, user.scope(), user.getUsername());
            audit.backupDeletion(user.getUsername(), backupId, job.unitLabel(), job.id(), request.getRemoteAddr());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return back;
        }
    }
}
