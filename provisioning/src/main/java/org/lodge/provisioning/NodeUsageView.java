package org.lodge.provisioning;

import java.util.List;
import java.util.UUID;

/**
 * A node's usage over the last hour (from the five-minute roll-ups): its units' totals and the
 * units that used the most CPU. CPU in percent of one core, traffic in bytes.
 */
public record NodeUsageView(String node, int units, double cpuPercent, long memoryBytes, long netInBytes,
                            long netOutBytes, List<Consumer> top) {

    public record Consumer(UUID unitId, String domain, double cpuPercent, Long memoryBytes, long netInBytes,
                           long netOutBytes) {
    }
}
