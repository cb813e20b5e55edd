package org.lodge.provisioning.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitEntity;
import org.springframework.stereotype.Component;

/**
 * Whether anything was written to a running jail's filesystem since a point in time, like the
 * dirty bitmaps of Proxmox Backup Server: ext4's {@code /sys/fs/ext4/<dev>/lifetime_write_kbytes}
 * counts every block written to the device (data, metadata, journal, superblock), so an unchanged
 * counter on the same mounted filesystem means nothing was written. It counts writes that reached
 * the device, not the page cache: the filesystem is flushed ({@code sync --file-system}) before
 * it is read. The counter lives in the superblock and carries over a remount, so the mount is
 * identified too ({@link Mark#identity}): the boot, the device, the loop device's backing file and
 * its inode, and the libvirt domain's id (a restarted jail gets another). Any difference: the normal backup.
 */
@Component
public class JailWrites {

    private static final Duration COMMAND = Duration.ofSeconds(60);

    private final JailHost host;
    private final HostCommands commands;

    public JailWrites(JailHost host, HostCommands commands) {
        this.host = host;
        this.commands = commands;
    }

    /** The mounted filesystem and its write counter in KiB. */
    public record Mark(String identity, long writeKbytes) {
    }

    /** How to read the counter of the mounted filesystem it was found for. */
    public record Mount(String identity, Path counter, long blockKbytes) {

        public long written() throws IOException {
            return Long.parseLong(Files.readString(counter).strip());
        }
    }

    /** The jail's mounted filesystem, if it runs from a loop-mounted ext4 image; empty otherwise (no skip). */
    public Optional<Mount> mount(UnitEntity jail) throws IOException {
        Path mounted = host.mountPoint(jail);
        Optional<String[]> line = JailSnapshots.mountInfo(mounted);
        Optional<Integer> domainId = host.domain(jail).flatMap(d -> {
            try {
                return d.isActive() == 1 ? Optional.of(d.getID()) : Optional.empty();
            } catch (org.libvirt.LibvirtException e) {
                return Optional.empty();
            }
        });
        if (line.isEmpty() || domainId.isEmpty()) {
            return Optional.empty();
        }
        String[] f = line.get();
        int dash = List.of(f).indexOf("-");
        String source = f[dash + 2];
        String dev = Path.of(source).getFileName().toString();
        Path counter = Path.of("/sys/fs/ext4", dev, "lifetime_write_kbytes");
        Path backing = Path.of("/sys/block", dev, "loop", "backing_file");
        if (!"ext4".equals(f[dash + 1]) || !Files.exists(counter) || !Files.exists(backing)) {
            return Optional.empty();
        }
        Path image = Path.of(Files.readString(backing).strip());
        String identity = "boot=" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()
                + " dev=" + f[2] + " " + source + " image=" + image + " ino=" + Files.getAttribute(image, "unix:dev")
                + ":" + Files.getAttribute(image, "unix:ino") + " domain=" + domainId.get();
        return Optional.of(new Mount(identity, counter, Files.getFileStore(mounted).getBlockSize() / 1024));
    }

    /**
     * The mark of a point in time taken under a freeze: the counter read while frozen ({@code
     * frozen}) and just after the thaw ({@code thawed}). The thaw writes the superblock, exactly one
     * block; any more means a write of the jail reached the device before the counter was read
     * (one that is not in the copy), and then there is no mark.
     */
    public static Optional<Mark> afterThaw(Mount mount, long frozen, long thawed) {
        return thawed - frozen == mount.blockKbytes() ? Optional.of(new Mark(mount.identity(), thawed)) : Optional.empty();
    }

    /** The jail's mark now, its filesystem flushed first so that writes still in the page cache count. */
    public Optional<Mark> now(UnitEntity jail) throws IOException {
        Optional<Mount> mount = mount(jail);
        if (mount.isEmpty()) {
            return Optional.empty();
        }
        commands.runChecked(Program.SYNC, List.of("--file-system", host.mountPoint(jail).toString()), COMMAND);
        return Optional.of(new Mark(mount.get().identity(), mount.get().written()));
    }
}
