package org.lodge.provisioning.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.NodeUsageView;
import org.lodge.provisioning.NodeUsageView.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A node's last hour from the five-minute roll-ups: one grouped query over its units' rows. */
@Component
public class NodeUsage {

    private static final int TOP = 5;

    private final JdbcClient jdbc;

    public NodeUsage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public NodeUsageView lastHour(String node, Instant now) {
        List<Consumer> all = jdbc.sql("""
                select f.unit_id, u.domain,
                       coalesce(sum(f.cpu_ns) / 1e7 / nullif(sum(f.seconds), 0), 0) as cpu,
                       (array_agg(f.memory_avg_bytes order by f.bucket desc))[1] as memory,
                       sum(f.net_in_bytes) as net_in, sum(f.net_out_bytes) as net_out
                  from usage_5m f join unit u on u.id = f.unit_id
                 where u.node_name = :node and f.bucket >= :from and f.bucket < :to
                 group by f.unit_id, u.domain
                 order by cpu desc""")
                .param("node", node)
                .param("from", now.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC))
                .param("to", now.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Consumer(rs.getObject("unit_id", UUID.class), rs.getString("domain"),
                        rs.getDouble("cpu"), rs.getObject("memory", Long.class), rs.getLong("net_in"),
                        rs.getLong("net_out")))
                .list();
        return new NodeUsageView(node, all.size(), all.stream().mapToDouble(Consumer::cpuPercent).sum(),
                all.stream().mapToLong(c -> c.memoryBytes() == null ? 0 : c.memoryBytes()).sum(),
                all.stream().mapToLong(Consumer::netInBytes).sum(), all.stream().mapToLong(Consumer::netOutBytes).sum(),
                all.stream().limit(TOP).toList());
    }
}
