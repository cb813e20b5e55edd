package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.RootFilesystem;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.step.UnitStep;
import org.springframework.stereotype.Component;

/**
 * The site of a backup into a new jail, after its filesystem was built from the template and
 * before it is defined: the backed-up jail's web root is restored by restic to a scratch
 * directory, then copied into the new image's web root (over the welcome page), every owner moved
 * from the old jail's uid range to the new one's. Links are copied as links, never followed. Doing
 * it again copies the same files again.
 */
@Component
public class RestoreSite extends UnitStep {

    private final JailHost host;
    private final JailSnapshots snapshots;
    private final ResticRepository restic;
    private final Backups backups;

    public RestoreSite(UnitRepository units, JailHost host, JailSnapshots snapshots, ResticRepository restic,
                       Backups backups) {
        super(units);
        this.host = host;
        this.snapshots = snapshots;
        this.restic = restic;
        this.backups = backups;
    }

    @Override
    public String name() {
        return "restore-site";
    }

    @Override
    public Duration timeout() {
        return Duration.ofHours(2);
    }

    @Override
    public void execute(JobContext ctx) throws IOException {
        UnitEntity jail = unit(ctx);
        UUID backupId = UUID.fromString(ctx.params().path("backup").asText());
        BackupView backup = backups.find(backupId).filter(b -> b.verified() && b.snapshotId() != null)
                .orElseThrow(() -> new IllegalStateException("backup " + backupId + " is not a verified backup"));
        Backups.Origin origin = backups.origin(backupId).orElseThrow();
        if (origin.uidBase() == null) {
            throw new IllegalStateException("backup " + backupId + " does not record its jail's uid range");
        }
        String oldRoot = RootFilesystem.docroot(origin.unitDomain());
        Path scratch = snapshots.scratch(jail);
        Path mount = snapshots.restoreMount(jail);
        JailSnapshots.deleteTree(scratch);
        Files.createDirectories(scratch);
        snapshots.unmount(mount);
        snapshots.mount(Path.of(host.imagePath(jail)), mount, false);
        try {
            restic.restore(backup.snapshotId(), scratch, List.of(oldRoot));
            Path from = scratch.resolve(oldRoot.substring(1));
            if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalStateException("backup " + backup.snapshotId() + " has no web root " + oldRoot);
            }
            Path to = mount.resolve(RootFilesystem.docroot(jail).substring(1));
            long copied = copyShifted(from, to, origin.uidBase(), jail.uidBase());
            ctx.log(copied + " files and directories of " + origin.unitDomain() + "'s site (snapshot "
                    + backup.snapshotId() + " of " + backup.takenAt() + ") copied into " + RootFilesystem.docroot(jail)
                    + ", owners moved from uid " + origin.uidBase() + "+ to " + jail.uidBase() + "+");
        } finally {
            snapshots.unmount(mount);
            JailSnapshots.deleteTree(mount);
            JailSnapshots.deleteTree(scratch);
            snapshots.dropDirIfEmpty(jail);
        }
    }

    @Override
    public void compensate(JobContext ctx) throws IOException {
        UnitEntity jail = unitIfPresent(ctx).orElse(null);
        if (jail != null) {
            snapshots.unmount(snapshots.restoreMount(jail));
            JailSnapshots.deleteTree(snapshots.restoreMount(jail));
            JailSnapshots.deleteTree(snapshots.scratch(jail));
            snapshots.dropDirIfEmpty(jail);
        }
    }

    /** Copies the tree under {@code from} into {@code to}, owners shifted; the number of entries copied. */
    static long copyShifted(Path from, Path to, long oldBase, long newBase) throws IOException {
        long copied = 0;
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(from)) {
            entries = walk.toList();
        }
        for (Path source : entries) {
            Path target = to.resolve(from.relativize(source).toString());
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(target);
                    Files.createDirectory(target);
                }
                Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source, LinkOption.NOFOLLOW_LINKS));
            } else {
                Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES,
                        LinkOption.NOFOLLOW_LINKS);
            }
            shiftOwners(source, target, oldBase, newBase);
            copied++;
        }
        return copied;
    }

    /** Gives {@code target} the owner and group of {@code source}, moved from one jail's uid range to another's. */
    static void shiftOwners(Path source, Path target, long oldBase, long newBase) throws IOException {
        for (String id : List.of("uid", "gid")) {
            long owner = ((Integer) Files.getAttribute(source, "unix:" + id, LinkOption.NOFOLLOW_LINKS)).longValue();
            long inJail = owner - oldBase;
            // Each jail owns 65,536 host uids (migration V3).
            if (inJail < 0 || inJail >= 65_536) {
                throw new IllegalStateException(source.getFileName() + " has " + id + " " + owner
                        + ", outside the backed-up jail's range");
            }
            Files.setAttribute(target, "unix:" + id, (int) (newBase + inJail), LinkOption.NOFOLLOW_LINKS);
        }
    }
}
