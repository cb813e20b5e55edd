package org.lodge.provisioning.unit.step;

import java.util.Optional;
import org.lodge.provisioning.network.NeighbourCache;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.job.JobContext;
import org.springframework.stereotype.Component;

/** The address and domain were reserved with the job; undoing the job gives them back. */
@Component
public class ReserveAddress extends UnitStep {

    private final UnitReservations reservations;
    private final NeighbourCache neighbours;

    public ReserveAddress(UnitRepository units, UnitReservations reservations, NeighbourCache neighbours) {
        super(units);
        this.reservations = reservations;
        this.neighbours = neighbours;
    }

    @Override
    public String name() {
        return "reserve-address";
    }

    @Override
    public boolean onlyReadsUnit() {
        return true;
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity unit = unit(ctx);
        ctx.log("domain " + unit.domain() + " and address " + unit.ipv4() + " reserved, disk "
                + unit.view().diskHuman() + ", memory " + unit.memoryMib() + " MiB");
    }

    @Override
    public void compensate(JobContext ctx) {
        Optional<UnitEntity> unit = unitIfPresent(ctx);
        if (unit.isPresent()) {
            // The unit may have answered on its address before the job failed.
            neighbours.forget(unit.get().ipv4());
            reservations.release(ctx.unitId());
            ctx.log("domain and address released");
        }
    }
}
