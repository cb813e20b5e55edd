package org.lodge.provisioning;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.lodge.provisioning.NewUnitCheck.NewUnit;
import org.lodge.provisioning.job.JobEntity;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.node.NodeEntity;
import org.lodge.provisioning.node.NodeRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.provisioning.unit.UnitReservations;
import org.lodge.provisioning.unit.VmExports;
import org.lodge.provisioning.unit.VmSnapshots;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The unit side of the provisioning API (jails and VMs): new units, checked by
 * {@link NewUnitCheck} and reserved with their creation job in one transaction, and what a caller
 * may see of units. It writes intents to the database only; the node's worker does the work.
 * Actions on existing units are {@link UnitActionService}'s.
 */
@Service
public class UnitService {

    private final UnitRepository units;
    private final NodeRepository nodes;
    private final UnitReservations reservations;
    private final JobRepository jobs;
    private final VmSnapshots snapshots;
    private final VmExports exports;
    private final UnitJobs unitJobs;
    private final NewUnitCheck check;
    private final TransactionTemplate tx;

    UnitService(UnitRepository units, NodeRepository nodes, UnitReservations reservations, JobRepository jobs,
                VmSnapshots snapshots, VmExports exports, UnitJobs unitJobs, NewUnitCheck check, TransactionTemplate tx) {
        this.units = units;
        this.nodes = nodes;
        this.reservations = reservations;
        this.jobs = jobs;
        this.snapshots = snapshots;
        this.exports = exports;
        this.unitJobs = unitJobs;
        this.check = check;
        this.tx = tx;
    }

    /** Validates everything, then reserves address and domain and queues the creation job. */
    @StaffOnly
    public JobView requestUnit(UnitRequest request, String actor) {
        return create(request, null, actor);
    }

    /**
     * A new VM with its own domain and IPv4 whose disk is a full copy of a stopped VM's disk
     * (same template, vCPUs and memory); it gets its own FTP password, shown once.
     */
    @StaffOnly
    public JobView requestClone(UUID sourceId, String domain, String ipv4, TenantScope scope, String actor) {
        UnitEntity source = unitJobs.ownedVm(sourceId, scope);
        if (source.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", source.domain() + " is " + source.state().name().toLowerCase()
                    + ": stop it before cloning, so its disk is copied at rest", "unit.clone-stopped", source.domain(),
                    source.state().label());
        }
        UnitRequest request = new UnitRequest(source.tenantId(), source.nodeName(), UnitKind.VM,
                (source.diskBytes() >> 20) + "M", domain, ipv4, String.valueOf(source.vcpus()),
                String.valueOf(source.memoryMib()), source.template(), null);
        return create(request, new Seed(JobKind.CLONE_VM, "{\"source\":\"" + source.id() + "\"}",
                CopiedDisk.of(source)), actor);
    }

    /**
     * A new jail whose web root comes from a verified backup (checked by BackupService), on the
     * backup's node; its own domain, IPv4 and FTP password, shown once.
     */
    @StaffOnly
    public JobView requestFromBackup(UnitRequest request, UUID backupId, String actor) {
        return create(request, new Seed(JobKind.RESTORE_NEW_JAIL, "{\"backup\":\"" + backupId + "\"}", null), actor);
    }

    /**
     * A new VM whose disk is a verified VM backup's image (checked by BackupService), on the
     * backup's node; its own domain, IPv4, seed and FTP password (shown once); it serves the
     * backed-up unit's site, {@code siteDomain}.
     */
    @StaffOnly
    public JobView requestVmFromBackup(UnitRequest request, UUID backupId, String siteDomain, CopiedDisk disk,
                                       String actor) {
        ObjectNode params = JsonNodeFactory.instance.objectNode().put("backup", backupId.toString())
                .put("siteDomain", siteDomain);
        return create(request, new Seed(JobKind.RESTORE_NEW_VM, params.toString(), disk), actor);
    }

    /**
     * What a unit is made from when it is not made from its template alone: the job and its
     * parameters, and the disk it copies (a clone's, a VM backup's), if any.
     */
    private record Seed(JobKind kind, String params, CopiedDisk copied) {
    }

    private JobView create(UnitRequest request, Seed seed, String actor) {
        if (request.idempotencyKey() != null) {
            Optional<JobEntity> earlier = jobs.findByIdempotencyKey(request.idempotencyKey());
            if (earlier.isPresent() && earlier.get().tenantId().equals(request.tenantId())) {
                return earlier.get().view();
            }
        }
        // The checks and the reservation in one transaction: one pool check-out, begin and commit.
        AtomicReference<NewUnit> checked = new AtomicReference<>();
        try {
            return tx.execute(status -> {
                NewUnit unit = check.check(request, seed == null ? null : seed.copied());
                checked.set(unit);
                return seed == null ? reservations.reserve(unit.unit(), request.idempotencyKey(), request.plan(), actor).view()
                        : reservations.reserveFrom(unit.unit(), seed.kind(), seed.params(), actor).view();
            });
        } catch (DataIntegrityViolationException race) {
            throw check.takenMeanwhile(checked.get(), race);
        }
    }

    @Transactional(readOnly = true)
    public List<ExportView> exports(UUID unitId, TenantScope scope) {
        return exports.list(unitJobs.ownedVm(unitId, scope).id());
    }

    @Transactional(readOnly = true)
    public ExportView export(UUID unitId, UUID jobId, TenantScope scope) {
        return exports.find(unitJobs.ownedVm(unitId, scope).id(), jobId)
                .orElseThrow(() -> NotFoundException.of("export", jobId));
    }

    @Transactional(readOnly = true)
    public List<SnapshotView> snapshots(UUID unitId, TenantScope scope) {
        return snapshots.list(unitJobs.ownedVm(unitId, scope).id());
    }

    /**
     * Where the portal reaches the console of a running unit the caller may see: its node's console
     * gateway, which checks again in libvirt at connect time; refused when it is off.
     */
    @Transactional(readOnly = true)
    public ConsoleEndpoint console(UUID unitId, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        NodeEntity node = nodes.findById(unit.nodeName()).orElseThrow();
        if (unit.state() != UnitState.RUNNING && unit.state() != UnitState.PAUSED) {
            throw InvalidRequestException.of("console", unit.domain() + " is not running: start it to use its console",
                    "console.not-running", unit.domain());
        }
        if (node.consolePort() == null) {
            throw InvalidRequestException.of("console", "the console gateway of node " + node.name() + " is not running",
                    "console.gateway", node.name());
        }
        return new ConsoleEndpoint(unit.id(), unit.kind(), unit.domain(), node.consoleHost(), node.consolePort());
    }

    @Transactional(readOnly = true)
    public List<UnitView> list(TenantScope scope) {
        List<UnitEntity> found = scope.tenantId().map(units::findByTenantIdOrderByDomain)
                .orElseGet(units::findAllByOrderByDomain);
        return found.stream().map(UnitEntity::view).toList();
    }

    @Transactional(readOnly = true)
    public UnitView find(UUID unitId, TenantScope scope) {
        return unitJobs.owned(unitId, scope).view();
    }
}
