package org.lodge.provisioning.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Writes a pass's samples: one JDBC batch, whatever the number of units. */
@Component
public class UsageStore {

    private static final String INSERT = """
            insert into usage_sample (unit_id, tenant_id, at, cpu_ns, memory_bytes, disk_used_bytes,
                                      disk_read_bytes, disk_write_bytes, net_in_bytes, net_out_bytes)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (unit_id, at) do nothing""";

    private final JdbcTemplate jdbc;
    private final UsagePartitions partitions;

    public UsageStore(JdbcTemplate jdbc, UsagePartitions partitions) {
        this.jdbc = jdbc;
        this.partitions = partitions;
    }

    public void insert(List<UsageSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        samples.stream().map(UsageSample::at).max(Comparator.naturalOrder()).ifPresent(partitions::ensureFor);
        samples.stream().map(UsageSample::at).min(Comparator.naturalOrder()).ifPresent(partitions::ensureFor);
        jdbc.batchUpdate(INSERT, samples, 500, UsageStore::bind);
    }

    private static void bind(PreparedStatement ps, UsageSample s) throws SQLException {
        ps.setObject(1, s.unitId());
        ps.setObject(2, s.tenantId());
        ps.setObject(3, s.at().atOffset(ZoneOffset.UTC));
        setLong(ps, 4, s.cpuNanos());
        setLong(ps, 5, s.memoryBytes());
        setLong(ps, 6, s.diskUsedBytes());
        setLong(ps, 7, s.diskReadBytes());
        setLong(ps, 8, s.diskWriteBytes());
        setLong(ps, 9, s.netInBytes());
        setLong(ps, 10, s.netOutBytes());
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
