package org.lodge.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.UnitKind;

/** The plan gives a new unit's shape; what staff typed wins; jails take no memory or vCPUs from it. */
class UnitShapeTest {

    private static PlanView plan(UnitKind kind, long disk) {
        return new PlanView(UUID.randomUUID(), "p", "P", kind, disk, 2048, 2, 0, false, null, null);
    }

    @Test
    void blankFieldsComeFromThePlanTypedOnesWin() {
        assertThat(UnitShape.of(plan(UnitKind.VM, 10L << 30), new UnitShape("", null, " ")))
                .isEqualTo(new UnitShape("10G", "2", "2048"));
        assertThat(UnitShape.of(plan(UnitKind.VM, 10L << 30), new UnitShape("20G", "4", "512")))
                .isEqualTo(new UnitShape("20G", "4", "512"));
        assertThat(UnitShape.of(plan(UnitKind.JAIL, 512L << 20), new UnitShape(null, "", "")))
                .isEqualTo(new UnitShape("512M", "", ""));
        assertThat(UnitShape.of(plan(UnitKind.JAIL, 1536L << 20), new UnitShape(null, null, null)).diskSize())
                .isEqualTo("1536M");
    }
}
