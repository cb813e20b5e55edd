package org.lodge.provisioning.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.UsageRange;
import org.lodge.provisioning.UsageSeries;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads a unit's chart data: the last hour from the raw samples (rates from consecutive
 * counters, {@link UsageRollups#DELTA}), longer spans from the roll-ups. Every query is bounded by
 * its range on the partition key, so PostgreSQL reads only the partitions of that range.
 */
@Component
public class UsageQueries {

    private final JdbcClient jdbc;

    public UsageQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One point: seconds observed, CPU nanoseconds and bytes moved over them, levels at its end. */
    private record Point(long time, Double seconds, Long cpuNs, Long memory, Long diskUsed, Long read, Long written,
                         Long in, Long out) {
    }

    public UsageSeries series(UUID unitId, UUID tenantId, UsageRange range, Instant now) {
        Instant from = now.minus(range.span());
        List<Point> points = switch (range.resolution()) {
            case "minute" -> raw(unitId, tenantId, from, now);
            case "5m" -> rolled("usage_5m", unitId, tenantId, from, now);
            default -> rolled("usage_hour", unitId, tenantId, from, now);
        };
        List<Long> time = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Long> memory = new ArrayList<>();
        List<Long> disk = new ArrayList<>();
        List<Double> in = new ArrayList<>();
        List<Double> out = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        List<Double> written = new ArrayList<>();
        for (Point p : points) {
            time.add(p.time());
            Double nanosToPercent = p.cpuNs() == null ? null : p.cpuNs().doubleValue() / 1e7;
            cpu.add(rate(nanosToPercent, p.seconds()));
            memory.add(p.memory());
            disk.add(p.diskUsed());
            in.add(rate(p.in(), p.seconds()));
            out.add(rate(p.out(), p.seconds()));
            read.add(rate(p.read(), p.seconds()));
            written.add(rate(p.written(), p.seconds()));
        }
        return new UsageSeries(range.slug(), range.resolution(), time, cpu, memory, disk, in, out, read, written);
    }

    private static Double rate(Number amount, Double seconds) {
        return amount == null || seconds == null || seconds <= 0 ? null : amount.doubleValue() / seconds;
    }

    private List<Point> raw(UUID unitId, UUID tenantId, Instant from, Instant to) {
        String delta = UsageRollups.DELTA;
        return jdbc.sql("""
                select * from (
                  select at, extract(epoch from at - lag(at) over w)::float8 as secs, memory_bytes, disk_used_bytes,
                         %s as cpu, %s as rd, %s as wr, %s as nin, %s as nout
                    from usage_sample
                   where unit_id = :unit and tenant_id = :tenant
                     and at >= cast(:from as timestamptz) - interval '10 minutes' and at < :to
                  window w as (order by at)) deltas
                 where at >= :from order by at"""
                        .formatted(delta.formatted("cpu_ns"), delta.formatted("disk_read_bytes"),
                                delta.formatted("disk_write_bytes"), delta.formatted("net_in_bytes"),
                                delta.formatted("net_out_bytes")))
                .param("unit", unitId).param("tenant", tenantId)
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Point(rs.getObject("at", java.time.OffsetDateTime.class).toEpochSecond(),
                        rs.getObject("secs", Double.class), longOf(rs, "cpu"), longOf(rs, "memory_bytes"),
                        longOf(rs, "disk_used_bytes"), longOf(rs, "rd"), longOf(rs, "wr"), longOf(rs, "nin"),
                        longOf(rs, "nout")))
                .list();
    }

    private List<Point> rolled(String table, UUID unitId, UUID tenantId, Instant from, Instant to) {
        // The table name is one of two constants above, never input.
        return jdbc.sql("""
                select bucket, seconds, cpu_ns, memory_avg_bytes, disk_used_bytes, disk_read_bytes, disk_write_bytes,
                       net_in_bytes, net_out_bytes
                  from %s
                 where unit_id = :unit and tenant_id = :tenant and bucket >= :from and bucket < :to
                 order by bucket""".formatted(table))
                .param("unit", unitId).param("tenant", tenantId)
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new Point(rs.getObject("bucket", java.time.OffsetDateTime.class).toEpochSecond(),
                        rs.getDouble("seconds"), longOf(rs, "cpu_ns"), longOf(rs, "memory_avg_bytes"),
                        longOf(rs, "disk_used_bytes"), longOf(rs, "disk_read_bytes"), longOf(rs, "disk_write_bytes"),
                        longOf(rs, "net_in_bytes"), longOf(rs, "net_out_bytes")))
                .list();
    }

    private static Long longOf(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
