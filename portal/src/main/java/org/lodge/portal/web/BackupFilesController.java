package org.lodge.portal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lodge.portal.api.BackupFilesApi;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupFilesService;
import org.lodge.provisioning.BackupFolderView;
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
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The page of one jail backup's files: its file index shown folder by folder (links, no script)
 * with checkboxes whose ticks travel from folder to folder, or typed paths (relative to the site's web root, one a line) for a backup
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

    /**
     * {@code kept}: what was ticked in the folders seen before (the selection travels in the query,
     * no script): ticked again where it is an entry of the folder shown, carried as hidden fields otherwise.
     */
    @GetMapping("/units/{id}/backups/{backupId}/files")
    public String page(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                       @RequestParam(required = false) String path, @RequestParam MultiValueMap<String, String> query,
                       Model model) {
        UnitView unit = units.find(id, user.scope());
        BackupFolderView folder = files.folder(id, backupId, path, user.scope()).orElse(null);
        Set<String> selection = new LinkedHashSet<>(query.getOrDefault("kept", List.of()));
        Set<String> shown = folder == null ? Set.of()
                : folder.entries().stream().map(BackupFolderView.Entry::path).collect(Collectors.toSet());
        model.addAttribute("folder", folder);
        model.addAttribute("kept", selection);
        model.addAttribute("keptElsewhere", selection.stream().filter(p -> !shown.contains(p)).toList());
        model.addAttribute("unit", unit);
        model.addAttribute("backup", backups.list(id, user.scope()).stream().filter(b -> b.id().equals(backupId))
                .findFirst().orElseThrow(() -> NotFoundException.of("backup", backupId)));
        model.addAttribute("webRoot", BackupFilesService.webRoot(unit.domain()));
        model.addAttribute("maxPaths", files.maxPaths());
        model.addAttribute("downloads", files.downloads(id, user.scope()));
        return "backups/files";
    }

    /** Into another folder with the selection so far: the ticks of this folder joined to those kept. */
    @PostMapping("/units/{id}/backups/{backupId}/files/browse")
    public String browse(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                         @RequestParam MultiValueMap<String, String> form, RedirectAttributes redirect) {
        units.find(id, user.scope());
        redirect.addFlashAttribute("paths", form.getOrDefault("paths", List.of("")).get(0));
        return filesPage(id, backupId, form.getOrDefault("go", List.of(".")).get(0), selection(form));
    }

    /**
     * The files page of a folder with the selection in its query, each value strictly encoded (a
     * name may hold commas, '+' or '&'); RedirectAttributes would join a list with commas.
     */
    private static String filesPage(UUID id, UUID backupId, String path, List<String> kept) {
        Map<String, Object> values = new HashMap<>(Map.of("id", id, "b", backupId, "path", path));
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath("/units/{id}/backups/{b}/files")
                .queryParam("path", "{path}");
        for (int i = 0; i < kept.size(); i++) {
            uri.queryParam("kept", "{k" + i + "}");
            values.put("k" + i, kept.get(i));
        }
        return "redirect:" + uri.encode().buildAndExpand(values).toUriString();
    }

    /** The entries kept from other folders, then those ticked in the folder shown, each once. */
    private static List<String> selection(MultiValueMap<String, String> form) {
        Set<String> chosen = new LinkedHashSet<>(form.getOrDefault("kept", List.of()));
        chosen.addAll(form.getOrDefault("picked", List.of()));
        return List.copyOf(chosen);
    }

    @PostMapping("/units/{id}/backups/{backupId}/files/{verb:restore|download}")
    public String request(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID backupId,
                          @PathVariable String verb, @RequestParam MultiValueMap<String, String> form,
                          RedirectAttributes redirect) {
        // The ticked entries of the folder shown, then any typed paths; read as lists (a single
        // @RequestParam String[] would split a ticked name at its commas).
        String paths = form.getOrDefault("paths", List.of("")).get(0);
        List<String> chosen = new ArrayList<>(selection(form));
        chosen.addAll(Arrays.asList(paths.split("\\R")));
        try {
            JobView job = verb.equals("restore")
                    ? files.requestRestore(id, backupId, chosen, user.scope(), user.getUsername())
                    : files.requestDownload(id, backupId, chosen, user.scope(), user.getUsername());
            return "redirect:/jobs/" + job.id();
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
            redirect.addFlashAttribute("paths", paths);
            return filesPage(id, backupId, form.getOrDefault("at", List.of(".")).get(0), selection(form));
        }
    }

    @GetMapping("/units/{id}/backups/downloads/{jobId}")
    public void download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID jobId,
                         HttpServletResponse response) throws IOException {
        BackupFilesApi.send(files, files.download(id, jobId, user.scope()), response);
    }
}
