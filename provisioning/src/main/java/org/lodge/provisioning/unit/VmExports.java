package org.lodge.provisioning.unit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.ExportView;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The exports of each VM, as their jobs recorded them. */
@Component
public class VmExports {

    private static final RowMapper<ExportView> ROW = (rs, n) -> new ExportView(rs.getObject("job_id", UUID.class),
            rs.getObject("unit_id", UUID.class), rs.getString("format"), rs.getString("path"), rs.getLong("bytes"),
            rs.getTimestamp("created_at").toInstant());

    private final JdbcClient jdbc;

    public VmExports(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void record(UUID jobId, UUID unitId, String format, String path, long bytes) {
        jdbc.sql("insert into vm_export (job_id, unit_id, format, path, bytes) values (:j, :u, :f, :p, :b)"
                        + " on conflict (job_id) do update set path = :p, bytes = :b")
                .param("j", jobId).param("u", unitId).param("f", format).param("p", path).param("b", bytes).update();
    }

    public List<ExportView> list(UUID unitId) {
        return jdbc.sql("select * from vm_export where unit_id = :u order by created_at desc").param("u", unitId)
                .query(ROW).list();
    }

    public Optional<ExportView> find(UUID unitId, UUID jobId) {
        return jdbc.sql("select * from vm_export where unit_id = :u and job_id = :j").param("u", unitId)
                .param("j", jobId).query(ROW).optional();
    }
}
