package org.lodge.provisioning.backup;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.lodge.provisioning.BackupView;
import org.springframework.stereotype.Component;

/**
 * Removes backups of one unit, for retention and for expiry alike: first their snapshots from
 * restic ({@code forget --prune}), then their rows. Cut short in between, the rows stay and a later
 * removal finishes the job (restic skips the snapshots already gone).
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
        restic.forget(gone.stream().map(BackupView::snapshotId).filter(Objects::nonNull).toList(),
                ResticRepository.unitTag(unitId));
        backups.removed(gone.stream().map(BackupView::id).toList());
    }
}
