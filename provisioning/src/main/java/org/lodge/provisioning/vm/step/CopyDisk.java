package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.DiskSize;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.libvirt.LibvirtErrors;
import org.lodge.provisioning.libvirt.LibvirtXml;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/** A clone's disk: a full copy of the (stopped) source VM's disk, made by libvirt from that volume. */
@Component
public class CopyDisk extends VmStep {

    private final LibvirtXml xml;

    public CopyDisk(UnitRepository units, VmHost host, TransactionTemplate tx, LibvirtXml xml) {
        super(units, host, tx);
        this.xml = xml;
    }

    @Override
    public String name() {
        return "copy-disk";
    }

    @Override
    public Duration timeout() {
        return Duration.ofMinutes(30);
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException {
        UnitEntity vm = unit(ctx);
        String name = VmHost.diskName(vm);
        if (host.volume(name).isPresent()) {
            ctx.log("disk " + name + " already copied");
            return;
        }
        UnitEntity source = units().findById(UUID.fromString(ctx.params().path("source").asText()))
                .orElseThrow(() -> new IllegalStateException("the VM to clone no longer exists"));
        if (host.domain(source).map(DomainStates::isActive).orElse(false)) {
            throw new IllegalStateException(source.domain() + " was started meanwhile: stop it to clone it");
        }
        StorageVol from = host.volume(VmHost.diskName(source)).orElseThrow(() ->
                new IllegalStateException("the disk of " + source.domain() + " is missing"));
        try {
            host.pool().storageVolCreateXMLFrom(xml.render("image-volume", Map.of("name", name, "format", "qcow2",
                    "capacity", vm.diskBytes())), from, 0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.classify("copying the disk of " + source.domain(), e);
        }
        ctx.log("disk of " + source.domain() + " copied to " + name + " (" + DiskSize.ofBytes(vm.diskBytes()).human()
                + ", standalone qcow2)");
    }

    @Override
    public void compensate(JobContext ctx) throws LibvirtException {
        deleteVolume(ctx, VmHost::diskName);
    }
}
