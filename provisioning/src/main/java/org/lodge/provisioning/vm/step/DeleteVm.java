package org.lodge.provisioning.vm.step;

import org.lodge.provisioning.libvirt.DomainStates;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.network.NeighbourCache;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.unit.step.DeleteUnit;
import org.lodge.provisioning.vm.VmHost;
import org.springframework.stereotype.Component;

/** Removes the VM for good: domain (with its snapshots), disk, seed, exports, saved state, then its address and name. */
@Component
public class DeleteVm extends DeleteUnit {

    private final VmHost host;

    public DeleteVm(UnitRepository units, VmHost host, UnitReservations reservations,
                      UnitFilter filter, NeighbourCache neighbours) {
        super(units, reservations, filter, neighbours);
        this.host = host;
    }

    @Override
    public String name() {
        return "delete-vm";
    }

    @Override
    public UnitKind kind() {
        return UnitKind.VM;
    }

    @Override
    protected void removeLeftoversFromHost(String libvirtName, JobContext ctx) throws LibvirtException, IOException {
        Optional<Domain> domain = host.domain(libvirtName);
        if (domain.isPresent()) {
            if (DomainStates.isActive(domain.get())) {
                domain.get().destroy();
            }
            for (String snapshot : domain.get().snapshotListNames()) {
                domain.get().snapshotLookupByName(snapshot).delete(0);
            }
            domain.get().undefine(DefineVm.UNDEFINE_ALL);
            ctx.log("domain " + libvirtName + " undefined with its snapshots");
        }
        // Disk, seed and exports all carry the VM's libvirt name.
        for (String name : host.pool().listVolumes()) {
            if (name.startsWith(libvirtName + ".") || name.startsWith(libvirtName + "-")) {
                host.pool().storageVolLookupByName(name).delete(0);
                ctx.log("volume " + name + " deleted");
            }
        }
        if (Files.deleteIfExists(host.statePath(libvirtName))) {
            ctx.log("saved state deleted");
        }
    }
}
