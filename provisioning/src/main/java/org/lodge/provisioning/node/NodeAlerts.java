package org.lodge.provisioning.node;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lodge.provisioning.UnitAlert;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Every node's alerts, judged in one query from what its worker reports every 15 s: the jails'
 * storage below {@code lodge.node.min-free-percent} (10 %) free, memory available to new work
 * below {@code lodge.node.min-available-memory-percent} (10 %), or no report for
 * {@code lodge.node.silent-after} (2 min: the worker is down or cut off, and so are its jobs).
 */
@Component
public class NodeAlerts {

    private final JdbcClient jdbc;
    private final int minFreeDiskPercent;
    private final int minAvailableMemoryPercent;
    private final Duration silentAfter;

    public NodeAlerts(JdbcClient jdbc, @Value("${lodge.node.min-free-percent:10}") int minFreeDiskPercent,
                      @Value("${lodge.node.min-available-memory-percent:10}") int minAvailableMemoryPercent,
                      @Value("${lodge.node.silent-after:2m}") Duration silentAfter) {
        this.jdbc = jdbc;
        this.minFreeDiskPercent = minFreeDiskPercent;
        this.minAvailableMemoryPercent = minAvailableMemoryPercent;
        this.silentAfter = silentAfter;
    }

    private record Facts(String name, Instant heartbeat, long freeDisk, Long totalDisk, Long availableMemory,
                         Long memory) {
    }

    /** The alerts of each node that has any, by name. */
    public Map<String, List<UnitAlert>> all(Instant now) {
        Map<String, List<UnitAlert>> found = new LinkedHashMap<>();
        for (Facts facts : facts()) {
            List<UnitAlert> alerts = judge(facts, now);
            if (!alerts.isEmpty()) {
                found.put(facts.name(), alerts);
            }
        }
        return found;
    }

    private List<Facts> facts() {
        return jdbc.sql("""
                select name, heartbeat_at, free_disk_bytes, storage_total_bytes, available_memory_bytes, memory_bytes
                  from node order by name""")
                .query((rs, n) -> {
                    Timestamp heartbeat = rs.getTimestamp("heartbeat_at");
                    return new Facts(rs.getString("name"), heartbeat == null ? null : heartbeat.toInstant(),
                            rs.getLong("free_disk_bytes"), rs.getObject("storage_total_bytes", Long.class),
                            rs.getObject("available_memory_bytes", Long.class), rs.getObject("memory_bytes", Long.class));
                })
                .list();
    }

    private List<UnitAlert> judge(Facts facts, Instant now) {
        List<UnitAlert> alerts = new ArrayList<>();
        if (facts.heartbeat() == null) {
            return alerts;
        }
        if (facts.heartbeat().isBefore(now.minus(silentAfter))) {
            alerts.add(new UnitAlert("NODE_SILENT", "The worker of node " + facts.name() + " has not reported since "
                    + facts.heartbeat() + ": it is down or cannot reach the database, and its jobs wait.", facts.name(),
                    facts.heartbeat()));
            return alerts;
        }
        if (facts.totalDisk() != null && facts.totalDisk() > 0
                && facts.freeDisk() * 100 < facts.totalDisk() * minFreeDiskPercent) {
            alerts.add(new UnitAlert("NODE_DISK_LOW", "Node " + facts.name() + " has " + percent(facts.freeDisk(),
                    facts.totalDisk()) + " % of its jails' storage free (alert below " + minFreeDiskPercent
                    + " %): units' writes and new units will fail; free space or add storage.", facts.name(),
                    percent(facts.freeDisk(), facts.totalDisk()), minFreeDiskPercent));
        }
        if (facts.availableMemory() != null && facts.memory() != null && facts.memory() > 0
                && facts.availableMemory() * 100 < facts.memory() * minAvailableMemoryPercent) {
            alerts.add(new UnitAlert("NODE_MEMORY_LOW", "Node " + facts.name() + " has " + percent(
                    facts.availableMemory(), facts.memory()) + " % of its memory available (alert below "
                    + minAvailableMemoryPercent + " %): units may be killed; move or shrink some.", facts.name(),
                    percent(facts.availableMemory(), facts.memory()), minAvailableMemoryPercent));
        }
        return alerts;
    }

    private static long percent(long part, long whole) {
        return Math.round(part * 100.0 / whole);
    }
}
