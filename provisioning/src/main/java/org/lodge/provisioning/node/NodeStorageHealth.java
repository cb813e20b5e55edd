package org.lodge.provisioning.node;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.WorkerRole;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health of the node's storage (the jails' and the VMs' pools): down when a pool's file system
 * has less than {@code lodge.node.min-free-percent} (10 %) free, since a full pool stops every
 * unit's writes and every new unit.
 */
@Component("nodeStorage")
@WorkerRole
public class NodeStorageHealth implements HealthIndicator {

    private final NodeProperties node;
    private final int minFreePercent;

    public NodeStorageHealth(NodeProperties node, @Value("${lodge.node.min-free-percent:10}") int minFreePercent) {
        this.node = node;
        this.minFreePercent = minFreePercent;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        for (String dir : new String[] {node.storageDir(), node.vm().storageDir()}) {
            File pool = new File(dir);
            long total = pool.getTotalSpace();
            long free = pool.getUsableSpace();
            boolean ok = total > 0 && free * 100 >= total * minFreePercent;
            up &= ok;
            details.put(dir, Map.of("total", total, "free", free, "ok", ok));
        }
        return (up ? Health.up() : Health.down()).withDetail("minFreePercent", minFreePercent).withDetails(details)
                .build();
    }
}
