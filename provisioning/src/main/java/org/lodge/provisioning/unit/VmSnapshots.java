package org.lodge.provisioning.unit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.SnapshotView;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The snapshot list the portal shows: the worker rewrites it after each snapshot job. */
@Component
public class VmSnapshots {

    private final JdbcClient jdbc;

    public VmSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean exists(UUID unitId, String name) {
        return jdbc.sql("select count(*) from vm_snapshot where unit_id = :u and name = :n")
                .param("u", unitId).param("n", name).query(Long.class).single() > 0;
    }

    public List<SnapshotView> list(UUID unitId) {
        return jdbc.sql("select name, created_at, vm_state from vm_snapshot where unit_id = :u order by created_at, name")
                .param("u", unitId)
                .query((rs, n) -> new SnapshotView(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .list();
    }

    public void record(UUID unitId, String name, Instant createdAt, String vmState) {
        jdbc.sql("insert into vm_snapshot (unit_id, name, created_at, vm_state) values (:u, :n, :c, :s)"
                        + " on conflict (unit_id, name) do nothing")
                .param("u", unitId).param("n", name).param("c", java.sql.Timestamp.from(createdAt)).param("s", vmState)
                .update();
    }

    public void forget(UUID unitId, String name) {
        jdbc.sql("delete from vm_snapshot where unit_id = :u and name = :n").param("u", unitId).param("n", name).update();
    }
}
