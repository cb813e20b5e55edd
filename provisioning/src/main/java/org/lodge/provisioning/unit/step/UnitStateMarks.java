package org.lodge.provisioning.unit.step;

import org.lodge.provisioning.UnitState;
import org.lodge.provisioning.WorkerRole;
import org.lodge.provisioning.unit.UnitDrivers;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The plans' last steps: each records the state its job leaves the unit in. */
@Component
@WorkerRole
public class UnitStateMarks {

    private final UnitRepository units;
    private final JdbcClient jdbc;
    private final UnitDrivers drivers;

    public UnitStateMarks(UnitRepository units, JdbcClient jdbc, UnitDrivers drivers) {
        this.units = units;
        this.jdbc = jdbc;
        this.drivers = drivers;
    }

    public MarkState of(UnitState target) {
        return new MarkState(units, jdbc, drivers, target);
    }
}
