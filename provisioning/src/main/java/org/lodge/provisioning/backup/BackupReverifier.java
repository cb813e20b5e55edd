package org.lodge.provisioning.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.lodge.provisioning.BackupView;
import org.springframework.stereotype.Component;

/**
 * The weekly proof that old backups still restore (docs/backups.md, "Re-verification"): after a
 * {@code restic check} of the repository, every verified backup taken on the node is restored
 * again to a scratch directory with {@code restic restore --verify} (each file read back and
 * compared with the snapshot). One that no longer restores turns KO with the reason: it shows as a
 * failure and retention stops counting it as a good copy. A verified jail backup without a file
 * index (taken before indexes existed, or whose index could not be stored) gets one once it
 * restores, so its files page becomes browsable.
 */
@Component
public class BackupReverifier {

    private final Backups backups;
    private final ResticRepository restic;
    private final BackupProperties props;
    private final WebRootIndex webRoots;

    public BackupReverifier(Backups backups, ResticRepository restic, BackupProperties props, WebRootIndex webRoots) {
        this.backups = backups;
        this.restic = restic;
        this.props = props;
        this.webRoots = webRoots;
    }

    /** Backups that restore again, that do not, and those of them indexed for browsing now. */
    public record Result(int restored, int failed, int indexed) {
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
        int indexed = 0;
        Map<UUID, UUID> unindexed = backups.unindexedJailBackups(node);
        // Backups that share a snapshot (nothing written between them) stand or fall with one restore of it:
        // the snapshot's error, or "" when it restored.
        Map<String, String> outcomes = new HashMap<>();
        for (BackupView backup : backups.verifiedOnNode(node)) {
            JailSnapshots.deleteTree(scratch);
            Files.createDirectories(scratch);
            try {
                String error = outcomes.computeIfAbsent(backup.snapshotId(), snapshot -> restoreOnce(snapshot, scratch));
                if (!error.isEmpty()) {
                    throw new IllegalStateException(error);
                }
                backups.reverified(backup.id());
                restored++;
                log.accept("backup of " + backup.unitDomain() + " taken " + backup.takenAt() + " (" + backup.snapshotId()
                        + ") restores and reads back");
                if (unindexed.containsKey(backup.id()) && index(backup, unindexed.get(backup.id()), log)) {
                    indexed++;
                }
            } catch (IllegalStateException e) {
                backups.failedReverification(backup.id(), BackupReason.REVERIFICATION_FAILED.with(String.valueOf(e.getMessage())));
                failed++;
                log.accept("backup of " + backup.unitDomain() + " taken " + backup.takenAt() + " (" + backup.snapshotId()
                        + ") no longer restores, marked KO: " + e.getMessage());
            } finally {
                JailSnapshots.deleteTree(scratch);
            }
        }
        return new Result(restored, failed, indexed);
    }

    private String restoreOnce(String snapshot, Path scratch) {
        try {
            restic.restoreAndVerify(snapshot, scratch);
            return "";
        } catch (IllegalStateException e) {
            return String.valueOf(e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A convenience, like the backup's own index step: a failure is logged and the backup stays OK. */
    private boolean index(BackupView backup, UUID tenantId, Consumer<String> log) {
        try {
            BackupFileIndex.Stored stored = webRoots.store(backup, tenantId);
            log.accept("file index of the backup of " + backup.unitDomain() + " taken " + backup.takenAt() + " stored: "
                    + stored.folders() + " folders, " + stored.entries() + " entries");
            return true;
        } catch (IOException | RuntimeException e) {
            log.accept("file index of the backup of " + backup.unitDomain() + " taken " + backup.takenAt()
                    + " not stored: " + e.getMessage());
            return false;
        }
    }
}
