package org.lodge.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.libvirt.DomainListing;
import org.lodge.provisioning.network.UnitFilter;

/**
 * Leaves the host as the live tests found it: after the whole run, removes every jail domain,
 * image, the test pool and the test network they made (even after a failed test).
 */
public class TestNetworkCleanup implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {

    public static final String TEST_STORAGE = "/var/lib/lodge/test-jails";
    public static final String TEST_MOUNTS = "/var/lib/lodge/test-mnt";
    public static final String TEST_VM_STORAGE = "/var/lib/lodge/test-vms";

    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    @Override
    public void beforeAll(ExtensionContext context) {
        if (REGISTERED.compareAndSet(false, true)) {
            context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put("lodge-test-cleanup", this);
        }
    }

    private static void unmountTestImages() {
        try (var mounts = java.nio.file.Files.lines(java.nio.file.Path.of("/proc/self/mountinfo"))) {
            for (String mountPoint : mounts.map(l -> l.split(" ")[4]).filter(m -> m.startsWith(TEST_MOUNTS + "/")).toList()) {
                new ProcessBuilder("/usr/bin/umount", mountPoint).inheritIO().start().waitFor();
            }
            // Empty mount points left behind would be the next run's orphans in the doctor's eyes.
            java.io.File[] left = new java.io.File(TEST_MOUNTS).listFiles(java.io.File::isDirectory);
            for (java.io.File dir : left == null ? new java.io.File[0] : left) {
                dir.delete();
            }
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("cannot unmount the test images", e);
        }
    }

    /** Only jails whose image sits in the test pool: a developer's own jails stay untouched. */
    private static boolean isTestJail(Domain domain) throws LibvirtException {
        return domain.getXMLDesc(0).contains(TEST_MOUNTS + "/");
    }

    /** Test VMs (their disks are in the test VM pool), their volumes and the pool. */
    private static void removeTestVms() throws LibvirtException {
        Connect conn = new Connect("qemu:///system");
        try {
            for (String name : conn.listDefinedDomains()) {
                Domain domain = conn.domainLookupByName(name);
                if (domain.getXMLDesc(0).contains(TEST_VM_STORAGE + "/")) {
                    domain.undefine(3);
                }
            }
            for (int id : conn.listDomains()) {
                Domain domain = conn.domainLookupByID(id);
                if (domain.getXMLDesc(0).contains(TEST_VM_STORAGE + "/")) {
                    domain.destroy();
                    domain.undefine(3);
                }
            }
            StoragePool pool = conn.storagePoolLookupByName("lodge-test-vms");
            pool.refresh(0);
            for (String volume : pool.listVolumes()) {
                pool.storageVolLookupByName(volume).delete(0);
            }
            pool.destroy();
            pool.undefine();
        } finally {
            conn.close();
        }
    }

    /**
     * Traffic filter entries whose unit has no domain left on the node: those of the test units
     * just removed (a developer's running units keep theirs).
     */
    private static void removeStaleFilterEntries() throws LibvirtException {
        Set<String> domains = new HashSet<>();
        for (String uri : List.of("lxc:///system", "qemu:///system")) {
            Connect conn = new Connect(uri);
            try {
                DomainListing.of(conn).names().forEach(domains::add);
            } finally {
                conn.close();
            }
        }
        new UnitFilter(new HostCommands(), new ObjectMapper()).removeWhere(entry -> !domains.contains(entry.port()));
    }

    @Override
    public void close() throws LibvirtException {
        removeTestVms();
        Connect conn = new Connect("lxc:///system");
        try {
            for (String name : conn.listDefinedDomains()) {
                Domain domain = conn.domainLookupByName(name);
                if (isTestJail(domain)) {
                    domain.undefine();
                }
            }
            for (int id : conn.listDomains()) {
                try {
                    Domain domain = conn.domainLookupByID(id);
                    if (isTestJail(domain)) {
                        domain.destroy();
                        domain.undefine();
                    }
                } catch (LibvirtException goneMeanwhile) {
                    // Stopped on its own, or a transient domain gone with destroy.
                }
            }
            unmountTestImages();
            // Absent when only a test with a pool of its own ran (ReflinkPoolTest).
            if (java.util.Arrays.asList(conn.listStoragePools()).contains("lodge-test-jails")) {
                StoragePool pool = conn.storagePoolLookupByName("lodge-test-jails");
                pool.refresh(0);
                for (String volume : pool.listVolumes()) {
                    StorageVol vol = pool.storageVolLookupByName(volume);
                    vol.delete(0);
                }
                pool.destroy();
                pool.undefine();
            }
            Network network = conn.networkLookupByName("lodgetest0");
            if (network.isActive() == 1) {
                network.destroy();
            }
            network.undefine();
        } finally {
            conn.close();
        }
        removeStaleFilterEntries();
    }
}
