package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JobView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import org.lodge.provisioning.BackupService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The staff's backups page: every unit's backups, failures first. */
@Controller
public class BackupsController {

    private static final int SHOWN = 500;

    private final BackupService backups;

    private final Texts texts;

    public BackupsController(BackupService backups, Texts texts) {
        this.backups = backups;
        this.texts = texts;
    }

    @GetMapping("/backups")
    public String list(Model model) {
        model.addAttribute("backups", backups.listAll(SHOWN));
        return "backups/list";
    }

    /** A verified backup into a new jail (also of a deleted unit): the job's page shows its progress and password. */
    @PostMapping("/backups/{backupId}/new-unit")
    public String restoreToNewUnit(@AuthenticationPrincipal PortalUser user, @PathVariable UUID backupId,
                                   @RequestParam UUID unitId, @RequestParam String domain, @RequestParam String ipv4,
                                   @RequestParam(defaultValue = "") String diskSize, RedirectAttributes redirect) {
        try {
            JobView job = backups.requestRestoreToNewUnit(unitId, backupId,
                    new BackupService.NewUnitFromBackup(domain, ipv4, diskSize), user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            return "redirect:/backups";
        }
    }
}
