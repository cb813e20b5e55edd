package org.lodge.provisioning.backup;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * After a jail backup is verified: its web root's file index ({@code restic ls --json}) into the
 * database ({@link BackupFileIndex}), so staff and customers can browse it. The index is a
 * convenience, not the backup: when it cannot be stored the job logs why and stays OK, and the
 * backup's files page asks for typed paths, as for backups verified before indexes existed. A
 * backup verified by the identity of its files with another ({@code verified_by}) copies that
 * one's index in the database instead of listing the snapshot again.
 */
@Component
public class IndexBackupFiles extends UnitStep {

    private final Backups backups;
    private final WebRootIndex webRoots;
    private final BackupFileIndex index;

    public IndexBackupFiles(UnitRepository units, Backups backups, WebRootIndex webRoots, BackupFileIndex index) {
        super(units);
        this.backups = backups;
        this.webRoots = webRoots;
        this.index = index;
    }

    @Override
    public String name() {
        return "index-files";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(30);
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity unit = unit(ctx);
        BackupView backup = backups.find(ctx.jobId()).filter(BackupView::verified)
                .orElseThrow(() -> new IllegalStateException("the backup is not verified"));
        String webRoot = RootFilesystem.docroot(backup.unitDomain());
        Optional<UUID> same = backups.verifiedBy(backup.id());
        Optional<BackupFileIndex.Stored> copied = same.flatMap(from -> index.copy(from, backup.id()));
        if (copied.isPresent()) {
            ctx.log("file index of " + webRoot + " copied from the backup with the same files: " + copied.get().folders()
                    + " folders, " + copied.get().entries() + " entries, no restic ls");
            return;
        }
        try {
            BackupFileIndex.Stored stored = webRoots.store(backup, unit.tenantId());
            ctx.log("file index of " + webRoot + " stored: " + stored.folders() + " folders, " + stored.entries()
                    + " entries, " + stored.indexBytes() + " bytes compressed");
        } catch (Exception e) {
            ctx.log("file index not stored (" + e.getMessage() + "): the backup's files are chosen by typed paths");
        }
    }

    @Override
    public void compensate(JobContext ctx) {
        index.delete(ctx.jobId());
    }
}
