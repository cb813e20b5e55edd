package org.lodge.provisioning.backup;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.lodge.provisioning.BackupView;
import org.springframework.stereotype.Component;

/**
 * Removes backups of one unit, for retention, expiry and staff's deletion alike: first their snapshots from
 * restic ({@code forget --prune}), then their rows. Cut short in between, the rows stay and a later
 * removal finishes the job (restic skips the snapshots already gone). A snapshot another backup
 * still names (one taken with nothing written since, {@link NothingWritten}) stays in restic.
 */
@Component
public class BackupRemoval {

    private final ResticRepository restic;
    private final Backups backups;

    public BackupRemoval(ResticRepository restic, Backups backups) {
        this.restic = restic;
        this.backups = backups;
    }

    public void remove(UUID unitId, List<BackupView> gone) throws IOException {
        List<UUID> ids = gone.stream().map(BackupView::id).toList();
        List<String> snapshots = gone.stream().map(BackupView::snapshotId).filter(Objects::nonNull).distinct().toList();
        restic.forget(toForget(gone, backups.stillNamed(snapshots, ids)), ResticRepository.unitTag(unitId));
        backups.removed(ids);
    }

    /**
     * The snapshots of the backups {@code gone} that leave the repository: not those a backup that
     * stays still names ({@code namedByOthers}; a backup with nothing written since another shares its snapshot).
     */
    static List<String> toForget(List<BackupView> gone, Set<String> namedByOthers) {
        return gone.stream().map(BackupView::snapshotId).filter(Objects::nonNull).distinct()
                .filter(id -> !namedByOthers.contains(id)).toList();
    }

    /**
     * One backup of the unit, deleted by hand (job {@code DELETE_BACKUP}). Already gone: nothing to
     * do (a revived job). Protected meanwhile: refused, the backup kept.
     */
    public void removeOne(UUID unitId, UUID backupId, Consumer<String> log) throws IOException {
        Optional<BackupView> backup = backups.find(backupId).filter(b -> b.unitId().equals(unitId));
        if (backup.isEmpty()) {
            log.accept("backup " + backupId + " is no longer in the list: nothing to delete");
            return;
        }
        BackupView gone = backup.get();
        if (gone.protectedFromPrune()) {
            throw new IllegalStateException("the backup of " + gone.takenAt() + " is protected: lift the protection first");
        }
        boolean shared = gone.snapshotId() != null
                && !backups.stillNamed(List.of(gone.snapshotId()), List.of(gone.id())).isEmpty();
        remove(unitId, List.of(gone));
        log.accept("deleted the backup of " + gone.unitDomain() + " taken " + gone.takenAt()
                + (gone.snapshotId() == null ? " (it had no snapshot)" : ": snapshot " + gone.snapshotId()
                + (shared ? " kept in the repository: another backup names it" : " forgotten and pruned from the repository")));
    }
}
