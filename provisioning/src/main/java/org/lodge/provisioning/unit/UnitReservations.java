package org.lodge.provisioning.unit;

import java.util.UUID;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a new jail, its address and its creation job in one transaction: the unique keys on
 * address and domain decide races, and no job exists without its reservation (or vice versa).
 */
@Component
public class UnitReservations {

    private final UnitRepository jails;
    private final JdbcClient jdbc;
    private final JobQueue queue;

    public UnitReservations(UnitRepository jails, JdbcClient jdbc, JobQueue queue) {
        this.jails = jails;
        this.jdbc = jdbc;
        this.queue = queue;
    }

    @Transactional
    public JobEntity reserve(UnitEntity jail, String idempotencyKey, String actor) {
        jails.saveAndFlush(jail);
        jdbc.sql("insert into ip_assignment (address, pool_id, unit_id) values (cast(:a as inet), :p, :j)")
                .param("a", jail.ipv4()).param("p", jail.poolId()).param("j", jail.id()).update();
        return queue.enqueue(jail.kind().createJob(), jail.nodeName(), jail.tenantId(), jail.id(), jail.domain(),
                "{}", idempotencyKey, actor);
    }

    /** Gives the address and domain back (compensation of a creation, or a deletion). */
    @Transactional
    public void release(UUID jailId) {
        jdbc.sql("delete from ip_assignment where unit_id = :j").param("j", jailId).update();
        jails.deleteById(jailId);
    }
}
