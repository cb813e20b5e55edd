package org.lodge.provisioning.usage;

import java.io.File;
import java.nio.file.Path;
import org.libvirt.Domain;
import org.libvirt.DomainBlockStats;
import org.libvirt.DomainInfo;
import org.libvirt.DomainInterfaceStats;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.springframework.stereotype.Component;

/**
 * A running VM's counters through libvirt: CPU time and memory (the QEMU process's resident
 * size when the driver reports it, else the guest's balloon), the counters of its disk
 * ({@code vda}, see vm-domain.xml) and of its interface (named after the domain), each from the
 * domain's point of view (rx = into the VM). Disk use is the length of its qcow2 overlay, read
 * from the file. Four libvirt calls per VM on the handle the listing gave.
 */
@Component
@WorkerRole
public class VmUsage {

    private static final String DISK = "vda";
    /** libvirt's VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON and _RSS, in KiB. */
    private static final int ACTUAL = 6;
    private static final int RSS = 7;

    private final String storageDir;

    public VmUsage(NodeProperties node) {
        this.storageDir = node.vm().storageDir();
    }

    public Counters read(String libvirtName, Domain domain) {
        try {
            DomainInfo info = domain.getInfo();
            Long memory = null;
            for (MemoryStatistic stat : domain.memoryStats(10)) {
                if (stat.getTag() == RSS || (stat.getTag() == ACTUAL && memory == null)) {
                    memory = stat.getValue() * 1024;
                }
            }
            DomainBlockStats block = domain.blockStats(DISK);
            DomainInterfaceStats net = domain.interfaceStats(libvirtName);
            long length = new File(Path.of(storageDir, libvirtName + ".qcow2").toString()).length();
            return new Counters(info.cpuTime, memory != null ? memory : info.memory * 1024, length == 0 ? null : length,
                    block.rd_bytes, block.wr_bytes, net.rx_bytes, net.tx_bytes);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("usage of " + libvirtName, e);
        }
    }
}
