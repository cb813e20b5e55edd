package org.lodge.support;

import java.util.UUID;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A jail requested as staff would and marked RUNNING with its creation job ended OK, for tests without a worker. */
public final class RunningJail {

    private RunningJail() {
    }

    public static UUID of(UnitService units, JdbcClient jdbc, UUID tenantId, String node, String domain, String ipv4) {
        UUID unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenantId, node, "256M", domain, ipv4, null),
                "staff")).unitId();
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unit)
                .update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
        return unit;
    }
}
