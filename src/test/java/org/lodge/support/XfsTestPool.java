package org.lodge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.backup.JailSnapshots;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A small XFS {@code reflink=1} jail pool made by the node's own {@code setup-jail-pool.sh} (what
 * {@code LODGE_JAIL_POOL=xfs-file} does), for a test context of its own: the jail images and the
 * backup work area bind-mounted from one loop-mounted file, under their own libvirt pool.
 */
public final class XfsTestPool {

    private static final Path BASE = Path.of("/var/lib/lodge/test-xfs-pool");
    private static final Path FILE = BASE.resolve("pool.xfs");
    private static final Path MOUNT = BASE.resolve("mnt");
    public static final Path JAILS = Path.of("/var/lib/lodge/test-xfs-jails");
    public static final Path WORK = Path.of("/var/lib/lodge/test-xfs-backup-work");
    private static final String POOL = "lodge-test-xfs-jails";

    private XfsTestPool() {
    }

    /** Makes a fresh pool of this (sparse) size and points the context's jail store and backup work area at it. */
    public static void create(String size, DynamicPropertyRegistry registry) throws IOException, InterruptedException {
        unmount();
        Files.deleteIfExists(FILE);
        run(List.of("provisioning/host/setup-jail-pool.sh", "--file", FILE.toString(), "--size", size,
                "--mount", MOUNT.toString(), "--no-fstab", JAILS.toString(), WORK.toString()));
        registry.add("lodge.node.storage-dir", JAILS::toString);
        registry.add("lodge.node.storage-pool", () -> POOL);
        registry.add("lodge.backup.work-dir", WORK::toString);
    }

    /** The context's libvirt pool first (its directory is about to vanish), then the mounts and the file. */
    public static void remove() throws IOException, InterruptedException, LibvirtException {
        Connect conn = new Connect("lxc:///system");
        try {
            if (List.of(conn.listStoragePools()).contains(POOL)) {
                var pool = conn.storagePoolLookupByName(POOL);
                pool.destroy();
            }
            if (List.of(conn.listDefinedStoragePools()).contains(POOL)) {
                conn.storagePoolLookupByName(POOL).undefine();
            }
        } finally {
            conn.close();
        }
        unmount();
        Files.deleteIfExists(FILE);
    }

    private static void unmount() throws IOException, InterruptedException {
        for (Path dir : List.of(JAILS, WORK, MOUNT)) {
            if (JailSnapshots.isMounted(dir)) {
                run(List.of("/usr/bin/umount", dir.toString()));
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }
}
