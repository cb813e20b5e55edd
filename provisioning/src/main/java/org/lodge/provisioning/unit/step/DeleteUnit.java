package org.lodge.provisioning.unit.step;

import java.util.Optional;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;

/** Removes a unit for good: what its kind left on the host, then its address and domain name. */
public abstract class DeleteUnit extends UnitStep {

    private final UnitReservations reservations;

    protected DeleteUnit(UnitRepository units, UnitReservations reservations) {
        super(units);
        this.reservations = reservations;
    }

    /** Removes the unit's domain, volumes and files; must not fail on what is already gone. */
    protected abstract void removeFromHost(UnitEntity unit, JobContext ctx) throws Exception;

    @Override
    public final void execute(JobContext ctx) throws Exception {
        Optional<UnitEntity> found = unitIfPresent(ctx);
        if (found.isEmpty()) {
            ctx.log("already deleted");
            return;
        }
        UnitEntity unit = found.get();
        removeFromHost(unit, ctx);
        reservations.release(unit.id());
        ctx.log("address " + unit.ipv4() + " and domain " + unit.domain() + " released");
    }
}
