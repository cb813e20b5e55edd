package org.lodge.provisioning.jail.step;

import org.lodge.provisioning.jail.JailEntity;
import org.lodge.provisioning.jail.JailRepository;
import org.lodge.provisioning.jail.JailReservations;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** The address and domain were reserved with the job; undoing the job gives them back. */
@Component
public class ReserveAddress extends JailStep {

    private final JailReservations reservations;

    public ReserveAddress(JailRepository jails, JailReservations reservations) {
        super(jails);
        this.reservations = reservations;
    }

    @Override
    public String name() {
        return "reserve-address";
    }

    @Override
    public void execute(JobContext ctx) {
        JailEntity jail = jail(ctx);
        ctx.log("domain " + jail.domain() + " and address " + jail.ipv4() + " reserved, disk "
                + jail.view().diskHuman() + ", memory " + jail.memoryMib() + " MiB");
    }

    @Override
    public void compensate(JobContext ctx) {
        if (jailIfPresent(ctx).isPresent()) {
            reservations.release(ctx.unitId());
            ctx.log("domain and address released");
        }
    }
}
