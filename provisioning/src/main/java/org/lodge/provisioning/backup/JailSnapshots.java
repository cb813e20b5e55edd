package org.lodge.provisioning.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/**
 * The work area of a jail's backup under {@code lodge.backup.work-dir}/&lt;libvirt name&gt;: the
 * frozen copy of its image, that copy mounted read-only (what restic reads), the scratch restore
 * of the verification and the mount of an image being restored. Everything here is derived: a
 * crashed job's leftovers are released by the next backup job of the unit.
 */
@Component
public class JailSnapshots implements CapturedTree {

    private static final Duration COMMAND = Duration.ofSeconds(60);
    private static final Duration COPY = Duration.ofMinutes(10);
    /** The loop devices that units' frozen copies keep: /dev/loop2048 to /dev/loop6143, far above what jails take. */
    private static final int LOOP_BASE = 2048;
    private static final int LOOP_SPAN = 4096;

    private final HostCommands commands;
    private final BackupProperties props;

    public JailSnapshots(HostCommands commands, BackupProperties props) {
        this.commands = commands;
        this.props = props;
    }

    /**
     * How long the filesystem stayed frozen, how the image was copied meanwhile, and the write
     * mark of that point in time (null when not asked for or not exact: {@link JailWrites#afterThaw}).
     */
    public record Capture(long freezeMs, boolean reflink, JailWrites.Mark mark) {
    }

    public Path dir(UnitEntity jail) {
        return Path.of(props.workDir(), jail.libvirtName());
    }

    public Path copy(UnitEntity jail) {
        return dir(jail).resolve("frozen.img");
    }

    /** Where the frozen copy is mounted: always the same path per unit, so restic finds the parent snapshot. */
    @Override
    public Path tree(UnitEntity jail) {
        return dir(jail).resolve("tree");
    }

    @Override
    public void requireCaptured(UnitEntity jail) {
        if (!isMounted(tree(jail))) {
            throw new IllegalStateException("the frozen copy is not mounted");
        }
    }

    @Override
    public List<String> tags() {
        return List.of();
    }

    /** The frozen copy's filesystem in use (statvfs: total - free), at the backup's point in time. */
    @Override
    public long usedBytes(UnitEntity jail) throws IOException {
        java.nio.file.FileStore store = Files.getFileStore(tree(jail));
        return store.getTotalSpace() - store.getUnallocatedSpace();
    }

    @Override
    public Path verifyDir(UnitEntity jail) {
        return scratch(jail);
    }

    @Override
    public String proveRestored(UnitEntity jail, java.util.UUID backupId, Path restored) throws IOException {
        TreeComparison.Comparison result = TreeComparison.compare(tree(jail), restored);
        return result.entries() + " entries with the same type, owner, group, mode and size as the frozen copy; "
                + result.hashed() + " files with the same SHA-256";
    }

    public Path scratch(UnitEntity jail) {
        return dir(jail).resolve("verify");
    }

    public Path restoreMount(UnitEntity jail) {
        return dir(jail).resolve("restore");
    }

    /**
     * Copies {@code image} to the frozen copy. When the jail runs, its filesystem (mounted on the
     * host at {@code mounted}) is frozen around the copy: writes block, the journal is flushed, so
     * the copy is one point in time and clean. A reflink clone (XFS, btrfs) takes milliseconds
     * whatever the size; elsewhere (ext4) a sparse copy of the used blocks, so the freeze grows
     * with the data. Thawed whatever happens. With {@code writes} (the mounted filesystem's, may be
     * null) its write counter is read while frozen and after the thaw.
     */
    public Capture freezeAndCopy(String image, Path mounted, Path copy, JailWrites.Mount writes) throws IOException {
        Files.createDirectories(copy.getParent());
        Files.deleteIfExists(copy);
        boolean reflink;
        if (mounted == null) {
            reflink = copyImage(image, copy);
            return new Capture(0, reflink, null);
        }
        // Writers wait from the freeze's start (it blocks them, then flushes): counted from there.
        long started = System.nanoTime();
        commands.runChecked(Program.FSFREEZE, List.of("--freeze", mounted.toString()), COMMAND);
        long frozen = -1;
        try {
            frozen = writes == null ? -1 : writes.written();
            reflink = copyImage(image, copy);
        } finally {
            thaw(mounted);
        }
        long freezeMs = Duration.ofNanos(System.nanoTime() - started).toMillis();
        JailWrites.Mark mark = writes == null ? null : JailWrites.afterThaw(writes, frozen, writes.written()).orElse(null);
        return new Capture(freezeMs, reflink, mark);
    }

    /** Thaws a frozen filesystem; nothing when it is not frozen (a crashed job may have left it frozen). */
    public void thaw(Path mounted) {
        commands.run(Program.FSFREEZE, List.of("--unfreeze", mounted.toString()), COMMAND);
    }

    private boolean copyImage(String image, Path copy) throws IOException {
        if (commands.run(Program.CP, List.of("--reflink=always", image, copy.toString()), COPY).exitCode() == 0) {
            return true;
        }
        Files.deleteIfExists(copy);
        commands.runChecked(Program.CP, List.of("--sparse=always", image, copy.toString()), COPY);
        return false;
    }

    public HostCommands.Result fsck(Path image) {
        return commands.run(Program.E2FSCK, List.of("-f", "-n", image.toString()), COPY);
    }

    public void mount(Path image, Path at, boolean readOnly) throws IOException {
        if (isMounted(at)) {
            return;
        }
        Files.createDirectories(at);
        commands.runChecked(Program.MOUNT, List.of("-o", readOnly ? "loop,ro,noload,nodev,nosuid,noexec"
                : "loop,nodev,nosuid,noexec", image.toString(), at.toString()), COMMAND);
    }

    /**
     * Mounts a frozen copy read-only for restic through the unit's own loop device
     * ({@link #loopIndex}), the same for every backup of the unit. restic 0.14 stores each entry's
     * device number in its trees: through another loop device an unchanged jail would get every
     * tree written anew and count as changed. When that device is busy (two units on the same
     * index backed up at once) any free one is taken; false then. mount sets the device to detach
     * itself at the unmount.
     */
    public boolean mountCopy(Path image, Path at, int loopIndex) throws IOException {
        if (isMounted(at)) {
            return true;
        }
        Files.createDirectories(at);
        String device = "/dev/loop" + loopIndex;
        if (!Files.exists(Path.of(device))) {
            // mount's loop= takes only an existing device; losetup makes it (through /dev/loop-control).
            if (commands.run(Program.LOSETUP, List.of("--read-only", device, image.toString()), COMMAND).exitCode() == 0) {
                commands.runChecked(Program.LOSETUP, List.of("--detach", device), COMMAND);
            }
        }
        if (commands.run(Program.MOUNT, List.of("-o", "loop=" + device + ",ro,noload,nodev,nosuid,noexec",
                image.toString(), at.toString()), COMMAND).exitCode() == 0) {
            return true;
        }
        mount(image, at, true);
        return false;
    }

    /** The unit's loop device number for its frozen copies: derived from its id, so stable across workers. */
    public static int loopIndex(java.util.UUID unitId) {
        return LOOP_BASE + Math.floorMod(unitId.hashCode(), LOOP_SPAN);
    }

    public void unmount(Path at) {
        if (isMounted(at)) {
            commands.runChecked(Program.UMOUNT, List.of(at.toString()), COMMAND);
        }
    }

    public static boolean isMounted(Path at) {
        return mountInfo(at).isPresent();
    }

    /** The fields of the mount at {@code at} in {@code /proc/self/mountinfo}, if something is mounted there. */
    static Optional<String[]> mountInfo(Path at) {
        String target = at.toAbsolutePath().normalize().toString();
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.map(line -> line.split(" ")).filter(f -> f.length > 4 && f[4].equals(target)).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Unmounts and deletes the copy, the scratch restore and the restore mount of the jail. */
    @Override
    public void release(UnitEntity jail) throws IOException {
        unmount(tree(jail));
        unmount(restoreMount(jail));
        Files.deleteIfExists(copy(jail));
        deleteTree(scratch(jail));
        deleteTree(tree(jail));
        deleteTree(restoreMount(jail));
        dropDirIfEmpty(jail);
    }

    /** Removes the jail's work directory once nothing is left in it. */
    public void dropDirIfEmpty(UnitEntity jail) throws IOException {
        try {
            Files.deleteIfExists(dir(jail));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // Something else is in there (not ours to delete): leave the directory.
        }
    }

    /** A fresh, empty directory (never one holding a mount: {@link #deleteTree} checks). */
    public static Path fresh(Path dir) throws IOException {
        deleteTree(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /** Deletes a directory tree that holds no mount (checked first: never reach into a mounted image). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (isMounted(dir)) {
            throw new IllegalStateException(dir + " is still mounted");
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
