package org.lodge.provisioning.unit;

import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobQueue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes a new unit, its address and its creation job in one transaction: the unique keys on
 * address and domain decide races, and no job exists without its reservation (or vice versa).
 */
@Component
public class UnitReservations {

    private final UnitRepository units;
    private final JdbcClient jdbc;
    private final JobQueue queue;

    public UnitReservations(UnitRepository units, JdbcClient jdbc, JobQueue queue) {
        this.units = units;
        this.jdbc = jdbc;
        this.queue = queue;
    }

    @Transactional
    public JobEntity reserve(UnitEntity unit, String idempotencyKey, String actor) {
        hold(unit);
        return queue.enqueue(unit.kind().createJob(), unit.nodeName(), unit.tenantId(), unit.id(), unit.domain(),
                "{}", idempotencyKey, actor);
    }

    /** As {@link #reserve}, for a VM whose disk will be copied from {@code sourceId}. */
    @Transactional
    public JobEntity reserveClone(UnitEntity vm, UUID sourceId, String actor) {
        hold(vm);
        return queue.enqueue(JobKind.CLONE_VM, vm.nodeName(), vm.tenantId(), vm.id(), vm.domain(),
                "{\"source\":\"" + sourceId + "\"}", null, actor);
    }

    private void hold(UnitEntity unit) {
        units.saveAndFlush(unit);
        jdbc.sql("insert into ip_assignment (address, pool_id, unit_id) values (cast(:a as inet), :p, :j)")
                .param("a", unit.ipv4()).param("p", unit.poolId()).param("j", unit.id()).update();
    }

    /** Gives the address and domain back, and forgets the unit's unrevealed FTP passwords (compensation of a creation, or a deletion). */
    @Transactional
    public void release(UUID unitId) {
        jdbc.sql("delete from ip_assignment where unit_id = :j").param("j", unitId).update();
        // An FTP password nobody came to read opens nothing once its unit is gone: not kept for its TTL.
        jdbc.sql("delete from job_secret where job_id in (select id from provisioning_job where unit_id = :j)")
                .param("j", unitId).update();
        units.deleteById(unitId);
    }
}
