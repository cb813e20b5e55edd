package org.lodge.provisioning;

import java.util.List;
import java.util.UUID;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.stereotype.Component;

/**
 * What every request on an existing unit starts and ends with: the unit, if the caller's tenant
 * may see it (another tenant's answers 404 like a missing one), and its job queued only when no
 * other job is at work on it. Shared by the services that queue unit jobs.
 */
@Component
class UnitJobs {

    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final UnitRepository units;
    private final JobRepository jobs;
    private final JobQueue queue;

    UnitJobs(UnitRepository units, JobRepository jobs, JobQueue queue) {
        this.units = units;
        this.jobs = jobs;
        this.queue = queue;
    }

    UnitEntity owned(UUID unitId, TenantScope scope) {
        return units.findById(unitId).filter(j -> scope.allows(j.tenantId()))
                .orElseThrow(() -> NotFoundException.of("unit", unitId));
    }

    /** {@link #owned}, refused unless it is a VM. */
    UnitEntity ownedVm(UUID unitId, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
        if (unit.kind() != UnitKind.VM) {
            throw InvalidRequestException.of("action", unit.domain() + " is a jail; this is for VMs", "unit.vm-only",
                    unit.domain());
        }
        return unit;
    }

    JobView enqueue(UnitEntity unit, JobKind kind, String params, String actor) {
        if (unit.state() == UnitState.PROVISIONING) {
            throw busy(unit.domain());
        }
        return enqueue(unit.id(), unit.domain(), unit.nodeName(), unit.tenantId(), kind, params, actor);
    }

    /** One active job per unit; also for a deleted unit's backups, whose unit row is gone. */
    JobView enqueue(UUID unitId, String domain, String node, UUID tenantId, JobKind kind, String params, String actor) {
        if (jobs.existsByUnitIdAndStateIn(unitId, ACTIVE)) {
            throw busy(domain);
        }
        return queue.enqueue(kind, node, tenantId, unitId, domain, params, null, actor).view();
    }

    private static InvalidRequestException busy(String domain) {
        return InvalidRequestException.of("action", domain + " has a job in progress; wait for it to end", "unit.busy",
                domain);
    }
}
