package org.lodge.provisioning.unit.step;

import java.util.Locale;
import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.job.JobContext;
import org.lodge.provisioning.job.JobStore;
import org.lodge.provisioning.job.JobWords;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.context.support.DefaultMessageSourceResolvable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Records the state a job leaves its unit in; one instance per target state (see {@link UnitStateMarks}). */
public class MarkState extends UnitStep {

    private final UnitState target;
    private final JdbcClient jdbc;
    private final UnitDrivers drivers;

    MarkState(UnitRepository units, JdbcClient jdbc, UnitDrivers drivers, UnitState target) {
        super(units);
        this.jdbc = jdbc;
        this.drivers = drivers;
        this.target = target;
    }

    @Override
    public String name() {
        return "mark-" + target.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public void execute(JobContext ctx) {
        UnitEntity unit = unit(ctx);
        Long diskUsed = target == UnitState.RUNNING ? drivers.of(unit).diskUsed(unit) : null;
        // One statement, its commit relaxed: the job's final transition makes it durable (see JobStore).
        int updated = jdbc.sql("update unit set state = :state, disk_used_bytes = :used, updated_at = now(),"
                        + " version = version + 1 where id = :id and " + JobStore.RELAXED_COMMIT)
                .param("state", target.name()).param("used", diskUsed).param("id", unit.id())
                .param("relaxed", JobStore.relaxable()).update();
        if (updated != 1) {
            throw new IllegalStateException("unit " + unit.id() + " no longer exists");
        }
        String kindName = unit.kind().name().toLowerCase(Locale.ROOT);
        ctx.log(JobWords.UNIT_NOW.with(new DefaultMessageSourceResolvable(
                new String[] {"kind." + kindName}, kindName), target.label()));
    }
}
