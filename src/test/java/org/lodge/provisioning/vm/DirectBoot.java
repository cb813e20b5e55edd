package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.libvirt.Domain;
import org.libvirt.StorageVol;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.ServiceProbe;

/**
 * The benchmark's baseline: the libvirt calls a VM creation job makes, made directly — a linked
 * clone of the template, a copy of the VM's own seed, its domain XML under another name, define
 * and start — timed to "running" and to the guest answering HTTP for its domain. The VM the XML
 * comes from must be stopped (the copy takes its MAC and IPv4). The node's traffic filter drops
 * every frame of a lodge-* interface without an entry, so the copy's interface is admitted too,
 * as the job's start-vm does (one nft run). Everything made is removed.
 */
final class DirectBoot {

    record Timing(Duration toRunning, Duration toHttp, String loadBefore, String loadAfter) {
    }

    private DirectBoot() {
    }

    static Timing of(VmHost host, LibvirtXml xml, UnitFilter filter, VmTemplates.Template template, String libvirtName,
                     long diskBytes, ServiceProbe probe, String ip, String mac, String domain) throws Exception {
        // As long as a unit's name (lodge-xxxxxxxx): it also names the host's tap device, 15 characters at most.
        String name = "lodge-be" + UUID.randomUUID().toString().substring(0, 6);
        Domain source = host.domain(libvirtName).orElseThrow();
        assertThat(source.isActive()).as(libvirtName + " must be stopped").isZero();
        String domainXml = source.getXMLDesc(0).replaceFirst("<uuid>[^<]*</uuid>", "").replace(libvirtName, name);
        StorageVol seed = host.volume(libvirtName + "-seed.img").orElseThrow();
        StorageVol disk = null;
        StorageVol seedCopy = null;
        Domain copy = null;
        try {
            disk = host.pool().storageVolCreateXML(xml.render("overlay-volume", Map.of("name", name + ".qcow2",
                    "capacity", diskBytes, "backing", template.baseImage().toString())), 0);
            seedCopy = host.pool().storageVolCreateXMLFrom(xml.render("image-volume", Map.of("name",
                    name + "-seed.img", "capacity", seed.getInfo().capacity, "format", "raw")), seed, 0);
            String loadBefore = loadAverage();
            long started = System.nanoTime();
            filter.admit(new UnitFilter.Entry(name, mac, ip));
            copy = host.connection().domainDefineXML(domainXml);
            copy.create();
            Duration toRunning = Duration.ofNanos(System.nanoTime() - started);
            ServiceProbe.Page page = probe.awaitPage(ip, domain, "/", Duration.ofSeconds(400));
            Duration toHttp = Duration.ofNanos(System.nanoTime() - started);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains(domain);
            return new Timing(toRunning, toHttp, loadBefore, loadAverage());
        } finally {
            filter.release(name);
            if (copy != null) {
                if (copy.isActive() == 1) {
                    copy.destroy();
                }
                copy.undefine();
            }
            for (StorageVol volume : new StorageVol[] {disk, seedCopy}) {
                if (volume != null) {
                    volume.delete(0);
                }
            }
        }
    }

    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }
}
