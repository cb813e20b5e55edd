package org.lodge.provisioning;

import java.util.Optional;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.node.NodeRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff's way to the doctor: queues a check (or a check with repair) of a node as a job for
 * that node's worker, the only process that may touch its libvirt, and reads back the latest
 * result. The findings are in the job's log.
 */
@Service
public class NodeDoctor {

    private final NodeRepository nodes;
    private final JobQueue queue;
    private final JdbcClient jdbc;

    public NodeDoctor(NodeRepository nodes, JobQueue queue, JdbcClient jdbc) {
        this.nodes = nodes;
        this.queue = queue;
        this.jdbc = jdbc;
    }

    @Transactional
    public JobView request(String node, boolean repair, TenantScope scope, String actor) {
        staffOnly(scope);
        if (!nodes.existsById(node)) {
            throw NotFoundException.of("node", node);
        }
        return queue.enqueue(repair ? JobKind.DOCTOR_REPAIR : JobKind.DOCTOR, node, null, null, "node " + node, "{}",
                null, actor).view();
    }

    public Optional<DoctorView> latest(String node, TenantScope scope) {
        staffOnly(scope);
        return jdbc.sql("""
                select j.id, j.kind, j.state, j.created_at, j.finished_at,
                       (select l.message from job_log l where l.job_id = j.id and l.step = 'doctor'
                           and l.message like 'summary: %' order by l.id desc limit 1) as summary
                  from provisioning_job j
                 where j.node_name = :node and j.kind in ('DOCTOR', 'DOCTOR_REPAIR')
                 order by j.created_at desc limit 1""")
                .param("node", node)
                .query((rs, n) -> new DoctorView(rs.getObject("id", java.util.UUID.class),
                        JobKind.valueOf(rs.getString("kind")), JobState.valueOf(rs.getString("state")),
                        rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant(),
                        rs.getString("summary")))
                .optional();
    }

    /** Checked here as well as by URL: the doctor sees every tenant's units. */
    private static void staffOnly(TenantScope scope) {
        if (!scope.isStaff()) {
            throw NotFoundException.of("node-unnamed");
        }
    }
}
