package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.unit.step.UnitStep;
import java.io.IOException;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** Removes the stopped jail for good: domain, image, then its address and domain name. */
@Component
public class DeleteJail extends UnitStep {

    private final JailHost host;
    private final UnitReservations reservations;

    public DeleteJail(UnitRepository jails, JailHost host, UnitReservations reservations) {
        super(jails);
        this.host = host;
        this.reservations = reservations;
    }

    @Override
    public String name() {
        return "delete";
    }

    @Override
    public void execute(JobContext ctx) throws LibvirtException, IOException {
        Optional<UnitEntity> found = unitIfPresent(ctx);
        if (found.isEmpty()) {
            ctx.log("already deleted");
            return;
        }
        UnitEntity jail = found.get();
        Optional<Domain> domain = host.domain(jail);
        if (domain.isPresent()) {
            if (JailHost.active(domain.get())) {
                domain.get().destroy();
            }
            domain.get().undefine();
            ctx.log("domain " + jail.libvirtName() + " undefined");
        }
        host.unmount(jail);
        Optional<StorageVol> volume = host.volume(jail);
        if (volume.isPresent()) {
            volume.get().delete(0);
            ctx.log("image deleted");
        }
        reservations.release(jail.id());
        ctx.log("address " + jail.ipv4() + " and domain " + jail.domain() + " released");
    }
}
