package org.lodge.provisioning.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A worker restarted while libvirt still copies a volume in its pool (a job of the killed worker)
 * waits for the pool instead of failing to start: the chaos benchmark met this.
 */
@LiveNodeTest
@ExtendWith(OutputCaptureExtension.class)
class BusyStoragePoolTest {

    private static final String SOURCE = "lodge-busy-source.img";
    private static final String COPY = "lodge-busy-copy.img";

    @Autowired
    NodeRegistration registration;
    @Autowired
    NodeProperties node;
    @Autowired
    LibvirtXml xml;

    @Test
    void registrationWaitsForAVolumeJobInsteadOfFailing(CapturedOutput output) throws Exception {
        Connect conn = new Connect(node.lxcUri());
        ExecutorService copier = Executors.newSingleThreadExecutor();
        try {
            StoragePool pool = conn.storagePoolLookupByName(node.storagePool());
            deleteIfThere(pool, COPY);
            deleteIfThere(pool, SOURCE);
            // Sparse: libvirt reads all 2 GiB of it to copy it (~5 s here), which keeps the pool busy meanwhile.
            StorageVol source = pool.storageVolCreateXML(volume(SOURCE), 0);
            Future<StorageVol> copying = copier.submit(() -> pool.storageVolCreateXMLFrom(volume(COPY), source, 0));
            assertThat(refusedWhileBusy(pool)).as("the copy keeps the pool busy").isTrue();

            registration.register();

            assertThat(output).as("the registration waited for the copy").contains("storage pool " + node.storagePool()
                    + " is busy, trying again");
            copying.get(1, TimeUnit.MINUTES);
        } finally {
            copier.shutdown();
            copier.awaitTermination(2, TimeUnit.MINUTES);
            StoragePool pool = conn.storagePoolLookupByName(node.storagePool());
            deleteIfThere(pool, COPY);
            deleteIfThere(pool, SOURCE);
            conn.close();
        }
    }

    private String volume(String name) {
        return xml.render("raw-volume", Map.of("name", name, "capacity", 2L << 30));
    }

    /** True once a refresh is refused for the copy (within 5 s). */
    private static boolean refusedWhileBusy(StoragePool pool) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try {
                pool.refresh(0);
            } catch (LibvirtException e) {
                if (e.getMessage().contains("asynchronous jobs running")) {
                    return true;
                }
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static void deleteIfThere(StoragePool pool, String name) throws LibvirtException {
        try {
            pool.storageVolLookupByName(name).delete(0);
        } catch (LibvirtException e) {
            if (!LibvirtErrors.isMissing(e)) {
                throw e;
            }
        }
    }
}
