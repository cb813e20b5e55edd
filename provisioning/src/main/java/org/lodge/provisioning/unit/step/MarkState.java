package org.lodge.provisioning.unit.step;

import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.transaction.support.TransactionTemplate;

/** Records the state a job leaves its unit in; one instance per target state (see the plans). */
public class MarkState extends UnitStep {

    private final UnitState target;
    private final TransactionTemplate tx;
    private final UnitDrivers drivers;

    public MarkState(UnitRepository units, TransactionTemplate tx, UnitDrivers drivers, UnitState target) {
        super(units);
        this.tx = tx;
        this.drivers = drivers;
        this.target = target;
    }

    @Override
    public String name() {
        return "mark-" + target.name().toLowerCase().replace('_', '-');
    }

    @Override
    public void execute(JobContext ctx) {
        tx.executeWithoutResult(status -> {
            UnitEntity unit = unit(ctx);
            unit.changeState(target);
            unit.diskUsed(target == UnitState.RUNNING ? drivers.of(unit).diskUsed(unit) : null);
            units().save(unit);
        });
        String kind = unit(ctx).kind().name().toLowerCase(java.util.Locale.ROOT);
        ctx.log(JobWords.UNIT_NOW.with(new org.springframework.context.support.DefaultMessageSourceResolvable(
                new String[] {"kind." + kind}, kind), target.label()));
    }
}
