package org.lodge.provisioning.unit;

import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.WorkerRole;
import org.springframework.stereotype.Component;

/** The driver of each kind of unit, found by kind (no if-kind ladders in the steps). */
@Component
@WorkerRole
public class UnitDrivers {

    private final Map<UnitKind, UnitDriver> byKind = new EnumMap<>(UnitKind.class);

    public UnitDrivers(List<UnitDriver> drivers) {
        drivers.forEach(driver -> byKind.put(driver.kind(), driver));
    }

    public UnitDriver of(UnitEntity unit) {
        return of(unit.kind());
    }

    public UnitDriver of(UnitKind kind) {
        UnitDriver driver = byKind.get(kind);
        if (driver == null) {
            throw new IllegalStateException("no driver for " + kind);
        }
        return driver;
    }

    public Collection<UnitDriver> all() {
        return byKind.values();
    }
}
