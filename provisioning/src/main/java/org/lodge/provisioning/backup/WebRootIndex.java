package org.lodge.provisioning.backup;

import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.jail.RootFilesystem;
import org.springframework.stereotype.Component;

/**
 * Lists a jail backup's web root with restic ({@code ls --json}) and stores it as the backup's
 * file index ({@link BackupFileIndex}): after each new backup ({@link IndexBackupFiles}) and for
 * verified backups that have none yet ({@link BackupReverifier}).
 */
@Component
public class WebRootIndex {

    private final ResticRepository restic;
    private final BackupFileIndex index;

    public WebRootIndex(ResticRepository restic, BackupFileIndex index) {
        this.restic = restic;
        this.index = index;
    }

    /** The stored index; an exception when the snapshot holds no web root of the backup's domain (nothing stored). */
    public BackupFileIndex.Stored store(BackupView backup, UUID tenantId) throws IOException {
        String webRoot = RootFilesystem.docroot(backup.unitDomain());
        List<ResticRepository.Entry> listed = restic.list(backup.snapshotId(), List.of(webRoot));
        if (listed.stream().noneMatch(e -> e.path().equals(webRoot) || e.path().startsWith(webRoot + "/"))) {
            throw new IllegalStateException("the backup holds no " + webRoot);
        }
        return index.store(backup.id(), tenantId, webRoot, listed);
    }
}
