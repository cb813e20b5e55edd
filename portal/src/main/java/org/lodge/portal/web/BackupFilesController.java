package org.lodge.portal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.api.BackupFilesApi;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupFilesService;
import org.lodge.provisioning.BackupService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.UnitView;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The page of one jail backup's files: its file index shown folder by folder (links, no script)
 * with checkboxes, or typed paths (relative to the site's web root, one a line) for a backup
 * without an index, restored in place or archived for download, and the unit's archives ready to download. Staff
 * and the unit's own customers, with the same checks as the API.
 */
@Controller
public class BackupFilesController {

    private final BackupFilesService files;
    private final BackupService backups;
    private final UnitService units;
    private final Texts texts;

    public BackupFilesController(BackupFilesService files, BackupService backups, UnitService units, Texts texts) {
        this.files = files;
        this.backups = backups;
        this.units = units;
        this.texts = texts;
    }

    @GetMapping("/units/{id}/backups/{backupId}/files")
    public String page(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                       @RequestParam(required = false) String path, Model model) {
        UnitView unit = units.find(id, user.scope());
        model.addAttribute("folder", files.folder(id, backupId, path, user.scope()).orElse(null));
        model.addAttribute("unit", unit);
        model.addAttribute("backup", backups.list(id, user.scope()).stream().filter(b -> b.id().equals(backupId))
                .findFirst().orElseThrow(() -> new NotFoundException("backup " + backupId)));
        model.addAttribute("webRoot", BackupFilesService.webRoot(unit.domain()));
        model.addAttribute("maxPaths", files.maxPaths());
        model.addAttribute("downloads", files.downloads(id, user.scope()));
        return "backups/files";
    }

    @PostMapping("/units/{id}/backups/{backupId}/files/{verb:restore|download}")
    public String request(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                          @PathVariable String verb, @RequestParam MultiValueMap<String, String> form,
                          RedirectAttributes redirect) {
        // The ticked entries of the folder shown, then any typed paths; read as lists (a single
        // @RequestParam String[] would split a ticked name at its commas).
        String paths = form.getOrDefault("paths", List.of("")).get(0);
        List<String> chosen = new ArrayList<>(form.getOrDefault("picked", List.of()));
        chosen.addAll(Arrays.asList(paths.split("\\R")));
        try {
            JobView job = verb.equals("restore")
                    ? files.requestRestore(id, backupId, chosen, user.scope(), user.getUsername())
                    : files.requestDownload(id, backupId, chosen, user.scope(), user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            redirect.addFlashAttribute("paths", paths);
            redirect.addAttribute("path", form.getOrDefault("at", List.of(".")).get(0));
            return "redirect:/units/" + id + "/backups/" + backupId + "/files";
        }
    }

    @GetMapping("/units/{id}/backups/downloads/{jobId}")
    public void download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID jobId,
                         HttpServletResponse response) throws IOException {
        BackupFilesApi.send(files, files.download(id, jobId, user.scope()), response);
    }
}
