package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.unit.step.DeleteUnit;
import java.io.IOException;
import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.network.NeighbourCache;
import org.lodge.provisioning.network.UnitFilter;
import org.springframework.stereotype.Component;

/** Removes the stopped jail for good: domain, image, then its address and domain name. */
@Component
public class DeleteJail extends DeleteUnit {

    private final JailHost host;

    public DeleteJail(UnitRepository jails, JailHost host, UnitReservations reservations,
                      UnitFilter filter, NeighbourCache neighbours) {
        super(jails, reservations, filter, neighbours);
        this.host = host;
    }

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public UnitKind kind() {
        return UnitKind.JAIL;
    }

    @Override
    protected void removeLeftoversFromHost(String libvirtName, JobContext ctx) throws LibvirtException, IOException {
        Optional<Domain> domain = host.domain(libvirtName);
        if (domain.isPresent()) {
            if (DomainStates.isActive(domain.get())) {
                domain.get().destroy();
            }
            domain.get().undefine();
            ctx.log("domain " + libvirtName + " undefined");
        }
        host.releaseStopped(libvirtName);
        Optional<StorageVol> volume = host.volume(libvirtName);
        if (volume.isPresent()) {
            volume.get().delete(0);
            ctx.log("image " + JailHost.volumeName(libvirtName) + " deleted");
        }
    }
}
