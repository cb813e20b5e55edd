package org.lodge.provisioning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.backup.BackupDownloads;
import org.lodge.provisioning.backup.BackupFileIndex;
import org.lodge.provisioning.backup.BackupFilesProperties;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.SitePaths;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Single files and folders of a jail backup (docs/backups.md): restored in place into the running
 * jail, or archived as {@code tar.zst} for download, by staff and the unit's own customers. The
 * paths are checked before any job exists ({@link SitePaths}); another tenant's unit, backup or
 * archive answers as missing.
 */
@Service
public class BackupFilesService {

    private final BackupService backupService;
    private final UnitJobs unitJobs;
    private final Backups backups;
    private final BackupDownloads downloads;
    private final BackupFilesProperties props;
    private final ObjectMapper json;
    private final BackupFileIndex index;

    BackupFilesService(BackupService backupService, UnitJobs unitJobs, Backups backups, BackupDownloads downloads,
                       BackupFilesProperties props, ObjectMapper json, BackupFileIndex index) {
        this.index = index;
        this.backupService = backupService;
        this.unitJobs = unitJobs;
        this.backups = backups;
        this.downloads = downloads;
        this.props = props;
        this.json = json;
    }

    /** The chosen paths of a verified backup back in place in the running jail; the rest of the jail untouched. */
    @Transactional
    public JobView requestRestore(UUID unitId, UUID backupId, List<String> paths, TenantScope scope, String actor) {
        return request(unitId, backupId, paths, scope, actor, JobKind.RESTORE_JAIL_FILES);
    }

    /** A {@code tar.zst} archive of the chosen paths of a verified backup, downloadable for a while. */
    @Transactional
    public JobView requestDownload(UUID unitId, UUID backupId, List<String> paths, TenantScope scope, String actor) {
        return request(unitId, backupId, paths, scope, actor, JobKind.DOWNLOAD_JAIL_FILES);
    }

    /**
     * One folder of a verified jail backup from its file index; {@code path} relative to the web root
     * (blank or "." is the web root), checked as the chosen paths are. Empty when the backup has no
     * index (verified before indexes existed, or the index could not be stored): paths are typed then.
     */
    @Transactional(readOnly = true)
    public Optional<BackupFolderView> folder(UUID unitId, UUID backupId, String path, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        BackupView backup = backups.find(backupId).filter(b -> b.unitId().equals(unit.id()))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
        if (!backup.verified() || !index.exists(backupId)) {
            return Optional.empty();
        }
        String folder = path == null || path.isBlank() ? "."
                : SitePaths.check(List.of(path), backup.unitDomain(), 1).get(0);
        List<BackupFolderView.Entry> entries = index.folder(backupId, folder)
                .orElseThrow(() -> NotFoundException.of("backup-folder", folder, backupId));
        String parent = folder.equals(".") ? null : folder.contains("/") ? folder.substring(0, folder.lastIndexOf('/'))
                : ".";
        return Optional.of(new BackupFolderView(folder, parent, entries));
    }

    /** The unit's archives still downloadable, newest first. */
    @Transactional(readOnly = true)
    public List<BackupDownloadView> downloads(UUID unitId, TenantScope scope) {
        return downloads.ofUnit(unitJobs.owned(unitId, scope).id());
    }

    /** The archive a job of the unit built, unless it expired. */
    @Transactional(readOnly = true)
    public BackupDownloadView download(UUID unitId, UUID jobId, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        return downloads.unitOf(jobId).filter(unit.id()::equals).flatMap(u -> downloads.find(jobId))
                .orElseThrow(() -> NotFoundException.of("download", jobId));
    }

    /** The archive's bytes, after {@link #download} allowed it. */
    @Transactional(readOnly = true)
    public void writeArchive(BackupDownloadView archive, OutputStream out) throws IOException {
        downloads.writeTo(archive.jobId(), out);
    }

    /** The web root of a jail serving {@code domain}: what the chosen paths are relative to. */
    public static String webRoot(String domain) {
        return org.lodge.provisioning.jail.RootFilesystem.docroot(domain);
    }

    public int maxPaths() {
        return props.maxPaths();
    }

    private JobView request(UUID unitId, UUID backupId, List<String> paths, TenantScope scope, String actor,
                            JobKind kind) {
        UnitEntity unit = backupService.ownedJail(unitId, scope);
        BackupView backup = backups.find(backupId).filter(b -> b.unitId().equals(unit.id()))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
        if (unit.kind() != UnitKind.JAIL) {
            throw InvalidRequestException.of("backup", "single files come from a jail's backups only; restore the"
                    + " whole VM instead", "backupfiles.not-jail");
        }
        if (!backup.verified()) {
            throw InvalidRequestException.of("backup", "backup of " + backup.takenAt() + " is not verified ("
                    + backup.outcome().toLowerCase() + "): files come only from a verified backup",
                    "backupfiles.unverified", backup.takenAt());
        }
        if (kind == JobKind.RESTORE_JAIL_FILES && unit.state() != UnitState.RUNNING) {
            throw InvalidRequestException.of("action", unit.domain() + " is not running: start it to restore files"
                    + " into it", "backupfiles.not-running", unit.domain());
        }
        List<String> checked = SitePaths.check(paths, unit.domain(), props.maxPaths());
        ObjectNode params = json.createObjectNode().put("backup", backup.id().toString());
        checked.forEach(params.putArray("paths")::add);
        return unitJobs.enqueue(unit, kind, params.toString(), actor);
    }

}
