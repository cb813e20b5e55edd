package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.lodge.provisioning.BackupView;
import org.springframework.stereotype.Component;

/**
 * The weekly proof that old backups still restore (docs/backups.md, "Re-verification"): after a
 * {@code restic check} of the repository, every verified backup taken on the node is restored
 * again to a scratch directory with {@code restic restore --verify} (each file read back and
 * compared with the snapshot). One that no longer restores turns KO with the reason: it shows as a
 * failure and retention stops counting it as a good copy.
 */
@Component
public class BackupReverifier {

    private final Backups backups;
    private final ResticRepository restic;
    private final BackupProperties props;

    public BackupReverifier(Backups backups, ResticRepository restic, BackupProperties props) {
        this.backups = backups;
        this.restic = restic;
        this.props = props;
    }

    public record Result(int restored, int failed) {
    }

    public Result reverify(String node, Consumer<String> log) throws IOException {
        try {
            log.accept("restic check --read-data-subset: " + restic.check());
        } catch (IllegalStateException e) {
            // Go on: the restores below tell which backups the damage reaches.
            log.accept("restic check found errors: " + e.getMessage());
        }
        Path scratch = Path.of(props.workDir(), "reverify-" + node);
        int restored = 0;
        int failed = 0;
        for (BackupView backup : backups.verifiedOnNode(node)) {
            JailSnapshots.deleteTree(scratch);
            Files.createDirectories(scratch);
            try {
                restic.restoreAndVerify(backup.snapshotId(), scratch);
                backups.reverified(backup.id());
                restored++;
                log.accept("backup of " + backup.unitDomain() + " taken " + backup.takenAt() + " (" + backup.snapshotId()
                        + ") restores and reads back");
            } catch (IllegalStateException e) {
                backups.failedReverification(backup.id(), "re-verification failed: " + e.getMessage());
                failed++;
                log.accept("backup of " + backup.unitDomain() + " taken " + backup.takenAt() + " (" + backup.snapshotId()
                        + ") no longer restores, marked KO: " + e.getMessage());
            } finally {
                JailSnapshots.deleteTree(scratch);
            }
        }
        return new Result(restored, failed);
    }
}
