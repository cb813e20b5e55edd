package org.lodge.provisioning.unit.step;

import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** The address and domain were reserved with the job; undoing the job gives them back. */
@Component
public class ReserveAddress extends UnitStep {

    private final UnitReservations reservations;

    public ReserveAddress(UnitRepository units, UnitReservations reservations) {
        super(units);
        this.reservations = reservations;
    }

    @Override
    public String name() {
        return "reserve-address";
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity unit = unit(ctx);
        ctx.log("domain " + unit.domain() + " and address " + unit.ipv4() + " reserved, disk "
                + unit.view().diskHuman() + ", memory " + unit.memoryMib() + " MiB");
    }

    @Override
    public void compensate(JobContext ctx) {
        if (unitIfPresent(ctx).isPresent()) {
            reservations.release(ctx.unitId());
            ctx.log("domain and address released");
        }
    }
}
