package org.lodge.provisioning.unit.step;

import java.util.Locale;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.context.support.DefaultMessageSourceResolvable;
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
        // The kind comes from the read that changed the state: no second read just for the log line.
        UnitKind kind = tx.execute(status -> {
            UnitEntity unit = unit(ctx);
            unit.changeState(target);
            unit.diskUsed(target == UnitState.RUNNING ? drivers.of(unit).diskUsed(unit) : null);
            units().save(unit);
            return unit.kind();
        });
        String kindName = kind.name().toLowerCase(Locale.ROOT);
        ctx.log(JobWords.UNIT_NOW.with(new DefaultMessageSourceResolvable(
                new String[] {"kind." + kindName}, kindName), target.label()));
    }
}
