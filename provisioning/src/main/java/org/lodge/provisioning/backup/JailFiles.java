package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/**
 * What the single file jobs share: the job's backup (verified, of its unit), its chosen paths
 * checked against the snapshot with {@code restic ls}, and those paths restored by restic into a
 * scratch directory of the job, owners and modes as backed up.
 */
@Component
public class JailFiles {

    private final Backups backups;
    private final ResticRepository restic;
    private final JailSnapshots snapshots;

    public JailFiles(Backups backups, ResticRepository restic, JailSnapshots snapshots) {
        this.backups = backups;
        this.restic = restic;
        this.snapshots = snapshots;
    }

    /** The job's backup, its uid range, the site's web root in it, and the chosen paths (relative to it). */
    public record Selection(BackupView backup, long uidBase, String webRoot, List<String> paths) {

        /** The chosen paths, absolute in the snapshot. */
        public List<String> absolute() {
            return paths.stream().map(p -> p.equals(".") ? webRoot : webRoot + "/" + p).toList();
        }
    }

    public Selection selection(JobContext ctx, UnitEntity jail) {
        UUID backupId = UUID.fromString(ctx.params().path("backup").asText());
        BackupView backup = backups.find(backupId).filter(b -> b.unitId().equals(jail.id()))
                .filter(b -> b.verified() && b.snapshotId() != null)
                .orElseThrow(() -> new IllegalStateException("backup " + backupId + " is not a verified backup of "
                        + jail.domain()));
        Backups.Origin origin = backups.origin(backupId).orElseThrow();
        long uidBase = origin.uidBase() == null ? jail.uidBase() : origin.uidBase();
        List<String> paths = java.util.stream.StreamSupport.stream(ctx.params().path("paths").spliterator(), false)
                .map(p -> p.asText()).toList();
        return new Selection(backup, uidBase, RootFilesystem.docroot(origin.unitDomain()), paths);
    }

    /** Fails, naming them, when chosen paths are not in the snapshot; else the bytes of the files they hold. */
    public long check(Selection selection, JobContext ctx) throws IOException {
        List<ResticRepository.Entry> entries = restic.list(selection.backup().snapshotId(), selection.absolute());
        Set<String> present = entries.stream().map(ResticRepository.Entry::path).collect(Collectors.toSet());
        List<String> missing = selection.absolute().stream().filter(p -> !present.contains(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not in the backup of " + selection.backup().takenAt() + ": "
                    + String.join(", ", missing));
        }
        long bytes = entries.stream().mapToLong(ResticRepository.Entry::size).sum();
        ctx.log(selection.paths().size() + " path(s) found in snapshot " + selection.backup().snapshotId() + " of "
                + selection.backup().takenAt() + ": " + entries.size() + " entries, " + bytes + " bytes");
        return bytes;
    }

    /** The job's scratch directory, emptied; the chosen paths restored into it; the web root in it. */
    public Path restore(Selection selection, Path scratch) throws IOException {
        JailSnapshots.deleteTree(scratch);
        Files.createDirectories(scratch);
        restic.restore(selection.backup().snapshotId(), scratch, selection.absolute());
        return scratch.resolve(selection.webRoot().substring(1));
    }

    public Path scratch(UnitEntity jail, JobContext ctx) {
        return snapshots.dir(jail).resolve("files-" + ctx.jobId());
    }

    public void dropScratch(UnitEntity jail, JobContext ctx) throws IOException {
        JailSnapshots.deleteTree(scratch(jail, ctx));
        snapshots.dropDirIfEmpty(jail);
    }
}
