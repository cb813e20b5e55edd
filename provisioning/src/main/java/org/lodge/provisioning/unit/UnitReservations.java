package org.lodge.provisioning.unit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
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
    private final ObjectMapper json;

    public UnitReservations(UnitRepository units, JdbcClient jdbc, JobQueue queue, ObjectMapper json) {
        this.units = units;
        this.jdbc = jdbc;
        this.queue = queue;
        this.json = json;
    }

    @Transactional
    public JobEntity reserve(UnitEntity unit, String idempotencyKey, String actor) {
        return reserve(unit, idempotencyKey, null, actor);
    }

    /** As above; {@code plan} (the billing plan's code, opaque here) travels in the job to the UnitCreated event. */
    @Transactional
    public JobEntity reserve(UnitEntity unit, String idempotencyKey, String plan, String actor) {
        hold(unit);
        return queue.enqueue(unit.kind().createJob(), unit.nodeName(), unit.tenantId(), unit.id(), unit.domain(),
                creationParams(plan), idempotencyKey, actor);
    }

    private String creationParams(String plan) {
        try {
            return plan == null ? "{}" : json.writeValueAsString(Map.of("plan", plan));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As {@link #reserve}, for a unit made from something else by the job {@code kind}: a VM whose
     * disk is copied from another (CLONE_VM), a jail whose site comes from a backup (RESTORE_NEW_JAIL).
     */
    @Transactional
    public JobEntity reserveFrom(UnitEntity unit, JobKind kind, String params, String actor) {
        hold(unit);
        return queue.enqueue(kind, unit.nodeName(), unit.tenantId(), unit.id(), unit.domain(), params, null, actor);
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
