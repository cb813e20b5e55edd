package org.lodge.provisioning.unit.step;

import java.util.Optional;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.network.NeighbourCache;
import org.lodge.provisioning.network.UnitFilter;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;

/** Removes a unit for good: what its kind left on the host, then its address and domain name. */
public abstract class DeleteUnit extends UnitStep {

    private final UnitReservations reservations;
    private final UnitFilter filter;
    private final NeighbourCache neighbours;

    protected DeleteUnit(UnitRepository units, UnitReservations reservations, UnitFilter filter,
                         NeighbourCache neighbours) {
        super(units);
        this.reservations = reservations;
        this.filter = filter;
        this.neighbours = neighbours;
    }

    /** The kind of unit this step deletes. */
    public abstract UnitKind kind();

    /** Removes the domain, volumes and files a unit of this kind and name left; must not fail on what is gone. */
    protected abstract void removeLeftoversFromHost(String libvirtName, JobContext ctx) throws Exception;

    /**
     * Removes whatever a unit of this kind and libvirt name left on this node, its traffic
     * filter entry included, when no unit row is left: the doctor's repair of orphans.
     */
    public final void removeLeftovers(String libvirtName, JobContext ctx) throws Exception {
        removeLeftoversFromHost(libvirtName, ctx);
        filter.release(libvirtName);
    }

    @Override
    public final void execute(JobContext ctx) throws Exception {
        Optional<UnitEntity> found = unitIfPresent(ctx);
        if (found.isEmpty()) {
            ctx.log("already deleted");
            return;
        }
        delete(found.get(), ctx);
    }

    /** Deletes the unit: what it has on the host, then its address and domain name. */
    public void delete(UnitEntity unit, JobContext ctx) throws Exception {
        removeLeftoversFromHost(unit.libvirtName(), ctx);
        filter.release(unit.libvirtName());
        neighbours.forget(unit.ipv4());
        reservations.release(unit.id());
        ctx.log("address " + unit.ipv4() + " and domain " + unit.domain() + " released");
    }
}
