package org.lodge.provisioning.backup.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.JailSnapshots;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/**
 * A VM backup's disk image brought back from restic into the target unit's restore directory and
 * proven before anyone uses it: {@code qemu-img check} and the SHA-256 recorded at the capture;
 * grown to the target's disk size when that is larger (the guest grows its filesystem at boot).
 */
@Component
public class VmImageFetch {

    private final VmBackupArea area;
    private final VmBackupRows rows;
    private final Backups backups;
    private final ResticRepository restic;

    public VmImageFetch(VmBackupArea area, VmBackupRows rows, Backups backups, ResticRepository restic) {
        this.area = area;
        this.rows = rows;
        this.backups = backups;
        this.restic = restic;
    }

    public Path fetch(UUID backupId, UnitEntity target, Consumer<String> log) throws IOException {
        BackupView backup = backups.find(backupId).filter(BackupView::verified).orElseThrow(() ->
                new IllegalStateException("backup " + backupId + " is gone or no longer verified"));
        VmFacts facts = rows.facts(backupId).orElseThrow(() -> new IllegalStateException("backup " + backupId
                + " is not a VM backup"));
        Path dir = JailSnapshots.fresh(area.restore(target));
        restic.restore(backup.snapshotId(), dir);
        Path image = dir.resolve(VmBackupArea.IMAGE);
        String check = area.check(image);
        if (!VmBackupArea.sha256(image).equals(facts.imageSha256())) {
            throw new IllegalStateException("the restored image of backup " + backup.snapshotId()
                    + " has another SHA-256 than the one captured: not used");
        }
        log.accept("disk image of backup " + backup.snapshotId() + " (" + backup.takenAt() + ") restored from restic:"
                + " qemu-img check: " + check + "; SHA-256 as captured");
        long size = area.virtualSize(image);
        if (size < target.diskBytes()) {
            area.grow(image, target.diskBytes());
            log.accept("image grown from " + DiskSize.ofBytes(size).human() + " to the unit's "
                    + DiskSize.ofBytes(target.diskBytes()).human());
        }
        return image;
    }
}
