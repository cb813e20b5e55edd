package org.lodge.provisioning.jail.step;

import java.io.IOException;
import java.util.Optional;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.StorageVol;
import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.jail.JailReservations;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** Removes the stopped jail for good: domain, image, then its address and domain name. */
@Component
public class DeleteJail extends JailStep {

    private final JailHost host;
    private final JailReservations reservations;

    public DeleteJail(JailRepository jails, JailHost host, JailReservations reservations) {
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
        Optional<JailEntity> found = jailIfPresent(ctx);
        if (found.isEmpty()) {
            ctx.log("already deleted");
            return;
        }
        JailEntity jail = found.get();
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
