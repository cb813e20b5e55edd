package org.lodge.portal.web;

import org.lodge.provisioning.BackupService;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The staff's backups page: every unit's backups, failures first. */
@Controller
public class BackupsController {

    private static final int SHOWN = 500;

    private final BackupService backups;

    public BackupsController(BackupService backups) {
        this.backups = backups;
    }

    @GetMapping("/backups")
    public String list(Model model) {
        model.addAttribute("backups", backups.listAll(SHOWN));
        return "backups/list";
    }
}
