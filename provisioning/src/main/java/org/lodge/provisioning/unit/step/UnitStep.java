package org.lodge.provisioning.unit.step;

import java.util.Optional;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.Step;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;

/**
 * A step that acts on the job's unit (jail or VM), read fresh from the database each time, or,
 * for a step that only reads it, as the previous such step of the attempt read it.
 */
public abstract class UnitStep implements Step {

    private final UnitRepository units;

    protected UnitStep(UnitRepository units) {
        this.units = units;
    }

    protected UnitEntity unit(JobContext ctx) {
        // One read for a run of steps that only read (a creation: two runs, either side of root-filesystem);
        // the engine decides by the running step, so a step called by one that writes reads afresh.
        return ctx.shared(UnitEntity.class, () -> read(ctx));
    }

    private UnitEntity read(JobContext ctx) {
        return units.findById(ctx.unitId())
                .orElseThrow(() -> new IllegalStateException("unit " + ctx.unitId() + " no longer exists"));
    }

    /** For compensations, which must not fail when there is nothing left to undo. */
    protected Optional<UnitEntity> unitIfPresent(JobContext ctx) {
        return units.findById(ctx.unitId());
    }

    protected UnitRepository units() {
        return units;
    }
}
