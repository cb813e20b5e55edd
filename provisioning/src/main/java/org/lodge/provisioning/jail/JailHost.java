package org.lodge.provisioning.jail;

import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitDriver;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.libvirt.XmlQuery;
import org.lodge.provisioning.network.UnitFilter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.libvirt.DomainListing.Listed;
import java.util.stream.Stream;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.host.HostCommands.Program;
import java.util.OptionalLong;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.springframework.stereotype.Component;

/** A jail's libvirt objects on this node: its LXC domain and its image volume. */
@Component
public class JailHost implements UnitDriver {

    /** For the host programs a start or stop runs (mount, umount, ip). */
    private static final Duration HOST_COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final LibvirtConnections libvirt;
    private final NodeProperties node;
    private final HostCommands commands;

    private final JailPidsLimit pidsLimit;
    private final UnitFilter filter;

    public JailHost(LibvirtConnections libvirt, NodeProperties node, HostCommands commands, JailPidsLimit pidsLimit,
                    UnitFilter filter) {
        this.filter = filter;
        this.libvirt = libvirt;
        this.node = node;
        this.commands = commands;
        this.pidsLimit = pidsLimit;
    }

    /**
     * Where the jail's image is mounted while it runs. libvirt cannot give a loop-file root a
     * user namespace ({@code <idmap>}), so the worker mounts the image and hands libvirt the
     * directory; the image stays the quota.
     */
    public Path mountPoint(UnitEntity jail) {
        return mountPoint(jail.libvirtName());
    }

    public Path mountPoint(String libvirtName) {
        return Path.of(node.mountDir(), libvirtName);
    }

    public boolean isMounted(UnitEntity jail) {
        return isMounted(jail.libvirtName());
    }

    public boolean isMounted(String libvirtName) {
        String target = " " + mountPoint(libvirtName) + " ";
        try (Stream<String> mounts = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return mounts.anyMatch(line -> line.contains(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mount(UnitEntity jail) throws IOException {
        if (isMounted(jail)) {
            return;
        }
        Path image = existingImage(jail);
        Files.createDirectories(mountPoint(jail));
        commands.runChecked(Program.MOUNT, List.of("-o", "loop,nodev,nosuid", image.toString(),
                mountPoint(jail).toString()), HOST_COMMAND_TIMEOUT);
    }

    /** Undoes on the host what a start set up, once the jail is stopped: its pids group, its mount. */
    public void releaseStopped(UnitEntity jail) throws IOException {
        releaseStopped(jail.libvirtName());
    }

    public void releaseStopped(String libvirtName) throws IOException {
        pidsLimit.release(libvirtName);
        unmount(libvirtName);
    }

    public void unmount(UnitEntity jail) throws IOException {
        unmount(jail.libvirtName());
    }

    public void unmount(String libvirtName) throws IOException {
        if (isMounted(libvirtName)) {
            commands.runChecked(Program.UMOUNT, List.of(mountPoint(libvirtName).toString()), HOST_COMMAND_TIMEOUT);
        }
        Files.deleteIfExists(mountPoint(libvirtName));
    }

    public Connect connection() {
        return libvirt.get(node.lxcUri());
    }

    @Override
    public UnitKind kind() {
        return UnitKind.JAIL;
    }

    @Override
    public String uri() {
        return node.lxcUri();
    }

    @Override
    public UnitState observedState(String libvirtName, Listed domain) {
        return DomainStates.of(domain.state(), false);
    }

    @Override
    public Long diskUsed(String libvirtName, Listed domain) {
        return domain.isActive() ? diskUsedByInit(image(libvirtName), domain.id()) : null;
    }

    @Override
    public Optional<Domain> domain(String libvirtName) {
        try {
            return Optional.of(connection().domainLookupByName(libvirtName));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LibvirtErrors.classify("looking up " + libvirtName, e);
        }
    }

    public boolean isRunning(UnitEntity jail) {
        return domain(jail).map(DomainStates::isActive).orElse(false);
    }

    /**
     * The host PID of the jail's init. libvirt's ID of an LXC domain is its controller
     * (libvirt_lxc); init is that process's only child.
     */
    public static OptionalLong initPid(Domain domain) {
        try {
            return initPid(domain.getID());
        } catch (LibvirtException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong initPid(int controller) {
        // Checked first through java.io.File, which answers without an exception: the state sync
        // asks for thousands of jails per cycle, and NIO's NoSuchFileException costs a stack trace.
        File file = new File("/proc/" + controller + "/task/" + controller + "/children");
        if (controller <= 0 || !file.canRead()) {
            return OptionalLong.empty();
        }
        try {
            String children = Files.readString(file.toPath()).strip();
            return children.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(children.split(" ")[0]));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Bytes used on the jail's root, seen through its init (statvfs of /proc/PID/root, no mount, no libvirt call). */
    private static Long diskUsedByInit(Path image, int controller) {
        OptionalLong init = initPid(controller);
        return init.isEmpty() ? null : usedOf(image, new File("/proc/" + init.getAsLong() + "/root"));
    }

    /**
     * What the jail can no longer write of the disk it was sold: the image's size less the space
     * still free to it on {@code root}, so ext4's own journal and inode tables count as used and a
     * full disk reads 100 % (as "used of the file system" it never passed ~87 % on a small image).
     */
    public static Long usedOf(Path image, File root) {
        try {
            long size = Files.size(image);
            return root.getTotalSpace() == 0 || size == 0 ? null : Math.max(0, size - root.getUsableSpace());
        } catch (IOException e) {
            return null;
        }
    }

    /** The image's path in the jails' storage directory, the pool libvirt keeps there (no libvirt call). */
    public Path image(String libvirtName) {
        return Path.of(node.storageDir(), volumeName(libvirtName));
    }

    /**
     * The jail's image, which must be there: its path in the pool's directory, not libvirt's look-up
     * of the volume (two calls fewer for each start and root filesystem).
     */
    public Path existingImage(UnitEntity jail) {
        Path image = image(jail.libvirtName());
        if (!Files.exists(image)) {
            throw new IllegalStateException("the image of " + jail.domain() + " is missing");
        }
        return image;
    }

    /**
     * Mounts a jail's image, starts its domain and limits its tasks; the limit in force. The start
     * itself runs with the node's mount table held still ({@link HostCommands#withMountsSteady}).
     */
    public int start(UnitEntity jail, Domain domain) throws LibvirtException, IOException {
        mount(jail);
        // At every start, not only at definition: a jail defined before its node had this filter gets its entry too.
        filter.admit(new UnitFilter.Entry(jail.libvirtName(),
                XmlQuery.of(domain.getXMLDesc(0)).attribute("address", "devices", "interface", "mac"), jail.ipv4()));
        pidsLimit.release(jail.libvirtName());
        commands.withMountsSteady(() -> {
            domain.create();
            return null;
        });
        try {
            return pidsLimit.apply(jail.libvirtName(), domain);
        } catch (RuntimeException e) {
            // An unlimited jail must not run; if it is gone already, say why it was not limited.
            try {
                domain.destroy();
            } catch (LibvirtException gone) {
                e.addSuppressed(gone);
            }
            throw e;
        }
    }

    public StoragePool pool() {
        try {
            // No refresh here: volumes made through libvirt are known to it, and a refresh
            // fails while another job creates or deletes a volume in the pool.
            return connection().storagePoolLookupByName(node.storagePool());
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("storage pool " + node.storagePool(), e);
        }
    }

    public static String volumeName(UnitEntity jail) {
        return volumeName(jail.libvirtName());
    }

    public static String volumeName(String libvirtName) {
        return libvirtName + ".img";
    }

    public Optional<StorageVol> volume(UnitEntity jail) {
        return volume(jail.libvirtName());
    }

    public Optional<StorageVol> volume(String libvirtName) {
        try {
            return Optional.of(pool().storageVolLookupByName(volumeName(libvirtName)));
        } catch (LibvirtException e) {
            if (LibvirtErrors.isMissing(e)) {
                return Optional.empty();
            }
            throw LibvirtErrors.classify("looking up volume of " + libvirtName, e);
        }
    }

    public String imagePath(UnitEntity jail) {
        try {
            return volume(jail).orElseThrow(() -> new IllegalStateException("the image of " + jail.domain()
                    + " is missing")).getPath();
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("volume path", e);
        }
    }
}
