package org.lodge.provisioning.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitResized;
import org.lodge.provisioning.UnitResumed;
import org.lodge.provisioning.UnitSuspended;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells other modules (billing) what a job that ended OK did to its unit, as past-tense events.
 * Called inside the transaction that marks the job OK: Spring Modulith's publication registry
 * stores each event with that commit, so a process that dies right after it delivers the event
 * on resubmission instead of losing it.
 */
@Component
class UnitEvents {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;

    UnitEvents(JdbcClient jdbc, ApplicationEventPublisher events, ObjectMapper json) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
    }

    private record Finished(JobKind kind, UUID unitId, UUID tenantId, String label, String params,
                            UnitKind unitKind, Long diskBytes, Integer memoryMib, Integer vcpus) {
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void jobSucceeded(UUID jobId) {
        Optional<Finished> found = jdbc.sql("""
                select p.kind, p.unit_id, p.tenant_id, p.unit_label, p.params, u.kind as unit_kind, u.disk_bytes,
                       u.memory_mib, u.vcpus
                  from provisioning_job p left join unit u on u.id = p.unit_id
                 where p.id = :id""").param("id", jobId)
                .query((rs, n) -> new Finished(JobKind.valueOf(rs.getString("kind")), rs.getObject("unit_id", UUID.class),
                        rs.getObject("tenant_id", UUID.class), rs.getString("unit_label"), rs.getString("params"),
                        rs.getString("unit_kind") == null ? null : UnitKind.valueOf(rs.getString("unit_kind")),
                        (Long) rs.getObject("disk_bytes"), (Integer) rs.getObject("memory_mib"),
                        (Integer) rs.getObject("vcpus")))
                .optional();
        found.flatMap(this::eventOf).ifPresent(events::publishEvent);
    }

    private Optional<Object> eventOf(Finished job) {
        Instant now = Instant.now();
        boolean unitExists = job.unitKind() != null;
        return Optional.ofNullable(switch (job.kind()) {
            case CREATE_JAIL, CREATE_VM, CLONE_VM, RESTORE_NEW_JAIL, RESTORE_NEW_VM -> unitExists ? new UnitCreated(job.unitId(), job.tenantId(),
                    job.unitKind(), job.label(), job.diskBytes(), job.memoryMib(), job.vcpus(), plan(job.params()), now)
                    : null;
            case GROW_JAIL_DISK, GROW_VM_DISK, RESIZE_VM -> unitExists ? new UnitResized(job.unitId(), job.tenantId(),
                    job.diskBytes(), job.memoryMib(), job.vcpus(), now) : null;
            case DELETE_JAIL, DELETE_VM -> new UnitDeleted(job.unitId(), job.tenantId(), now);
            case SUSPEND_VM -> new UnitSuspended(job.unitId(), job.tenantId(), now);
            case RESUME_VM -> new UnitResumed(job.unitId(), job.tenantId(), now);
            default -> null;
        });
    }

    private String plan(String params) {
        try {
            JsonNode plan = json.readTree(params == null ? "{}" : params).get("plan");
            return plan == null || plan.isNull() ? null : plan.asText();
        } catch (Exception e) {
            return null;
        }
    }
}
