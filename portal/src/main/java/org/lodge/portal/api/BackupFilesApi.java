package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.BackupDownloadView;
import org.lodge.provisioning.BackupFilesService;
import org.lodge.provisioning.BackupFolderView;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NotFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Single files and folders of a jail backup: restored in place or downloaded as {@code tar.zst}.
 * Staff and the unit's own customers; another tenant's unit, backup or archive answers 404.
 */
@RestController
@RequestMapping("/api/units/{id}/backups")
@Tag(name = "backups")
public class BackupFilesApi {

    private final BackupFilesService files;

    public BackupFilesApi(BackupFilesService files) {
        this.files = files;
    }

    /**
     * Files and folders of the site, relative to its web root ({@code /var/www/<domain>}) or absolute
     * inside it; "." is the whole site.
     */
    public record Selection(List<String> paths) {
    }

    @Operation(summary = "One folder of a verified jail backup, from the file index stored when it was verified:"
            + " path relative to the site's web root (none or \".\" is the web root), its parent, and its entries"
            + " (name, path to restore or download, type file|dir|symlink, size, mtime), folders first. 400 for a path"
            + " with '..' or outside the site; 404 for a folder the backup lacks, or a backup without a file index"
            + " (verified before indexes existed: type the paths).")
    @GetMapping("/{backupId}/files")
    public BackupFolderView folder(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                   @PathVariable UUID backupId, @RequestParam(required = false) String path) {
        return files.folder(id, backupId, path, user.scope())
                .orElseThrow(() -> NotFoundException.of("backup-file-index", backupId));
    }

    @Operation(summary = "Restore chosen files and folders of a verified backup in place into the running jail (their"
            + " current versions replaced, everything else untouched, owners as backed up); HTTP proven, undone on"
            + " failure. Paths are relative to the site's web root. Answers 202 with the job.")
    @PostMapping("/{backupId}/files/restore")
    public ResponseEntity<JobView> restore(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @PathVariable UUID backupId, @RequestBody Selection body) {
        return accepted(files.requestRestore(id, backupId, body == null ? null : body.paths(), user.scope(),
                user.getUsername()));
    }

    @Operation(summary = "Build a tar.zst archive of chosen files and folders of a verified backup. Answers 202 with the"
            + " job; once it is OK the archive is listed by GET …/backups/downloads and downloadable for a while.")
    @PostMapping("/{backupId}/files/download")
    public ResponseEntity<JobView> archive(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @PathVariable UUID backupId, @RequestBody Selection body) {
        return accepted(files.requestDownload(id, backupId, body == null ? null : body.paths(), user.scope(),
                user.getUsername()));
    }

    @Operation(summary = "The unit's tar.zst archives still downloadable, newest first (job, backup, name, size, SHA-256, expiry).")
    @GetMapping("/downloads")
    public List<BackupDownloadView> downloads(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return files.downloads(id, user.scope());
    }

    @Operation(summary = "The tar.zst archive a DOWNLOAD_JAIL_FILES job built (application/zstd); 404 once it expired.")
    @GetMapping("/downloads/{jobId}")
    public void download(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id, @PathVariable UUID jobId,
                         HttpServletResponse response) throws IOException {
        send(files, files.download(id, jobId, user.scope()), response);
    }

    /** Streams an archive from the database, one chunk at a time, on the request's thread (its tenant's connection). */
    public static void send(BackupFilesService files, BackupDownloadView archive, HttpServletResponse response)
            throws IOException {
        response.setContentType("application/zstd");
        response.setContentLengthLong(archive.sizeBytes());
        response.setHeader("Content-Disposition", org.springframework.http.ContentDisposition.attachment()
                .filename(archive.fileName()).build().toString());
        response.setHeader("X-Checksum-SHA256", archive.sha256());
        files.writeArchive(archive, response.getOutputStream());
    }

    private static ResponseEntity<JobView> accepted(JobView job) {
        return ResponseEntity.accepted().location(URI.create("/api/jobs/" + job.id())).body(job);
    }
}
