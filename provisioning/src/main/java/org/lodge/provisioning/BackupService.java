package org.lodge.provisioning;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.backup.BackupProperties;
import org.lodge.provisioning.backup.BackupScheduler;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.vm.VmBackupRows;
import org.lodge.provisioning.backup.vm.VmFacts;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Backups of a unit, self-service like power control: staff and the unit's own customers list its
 * backups, take one now and restore one in place (docs/backups.md). Another tenant's unit or
 * backup answers as missing. Jails and VMs.
 */
@Service
public class BackupService {

    private final UnitJobs unitJobs;
    private final UnitRepository units;
    private final JobQueue queue;
    private final Backups backups;
    private final BackupScheduler scheduler;
    private final JdbcClient jdbc;
    private final BackupProperties props;
    private final UnitService unitService;
    private final BackupQuotaService quotas;
    private final VmBackupRows vmBackups;

    BackupService(UnitJobs unitJobs, UnitRepository units, JobQueue queue, Backups backups, BackupScheduler scheduler,
                  JdbcClient jdbc, BackupProperties props, UnitService unitService, BackupQuotaService quotas,
                  VmBackupRows vmBackups) {
        this.quotas = quotas;
        this.vmBackups = vmBackups;
        this.unitService = unitService;
        this.props = props;
        this.scheduler = scheduler;
        this.unitJobs = unitJobs;
        this.units = units;
        this.jdbc = jdbc;
        this.queue = queue;
        this.backups = backups;
    }

    /** Newest first. */
    @Transactional(readOnly = true)
    public List<BackupView> list(UUID unitId, TenantScope scope) {
        return backups.ofUnit(unitJobs.owned(unitId, scope).id());
    }

    /** Every unit's backups for staff, failures first. */
    @Transactional(readOnly = true)
    @StaffOnly
    public List<BackupView> listAll(int limit) {
        return backups.all(limit);
    }

    /** A backup of the jail now, taken while it runs, then verified; customers once per on-demand interval. */
    @Transactional
    public JobView requestBackup(UUID unitId, TenantScope scope, String actor) {
        UnitEntity unit = ownedJail(unitId, scope);
        if (!scope.isStaff()) {
            jdbc.sql("select max(created_at) from provisioning_job where unit_id = :u"
                            + " and kind in ('BACKUP_JAIL', 'BACKUP_VM')"
                            + " and created_by <> 'schedule'")
                    .param("u", unit.id()).query(Timestamp.class).optional()
                    .map(at -> at.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
                    .filter(last -> last.plus(props.onDemandInterval()).isAfter(Instant.now()))
                    .ifPresent(last -> {
                        throw InvalidRequestException.of("action", "a backup of " + unit.domain() + " was asked at "
                                + last + "; the next on-demand backup is possible from "
                                + last.plus(props.onDemandInterval()), "backup.too-soon", unit.domain(),
                                String.valueOf(last), String.valueOf(last.plus(props.onDemandInterval())));
                    });
        }
        quotas.refuseWhenFull(unit.tenantId(), unit.domain());
        return unitJobs.enqueue(unit, unit.kind() == UnitKind.VM ? JobKind.BACKUP_VM : JobKind.BACKUP_JAIL, "{}", actor);
    }

    /** Restores a verified backup over the jail: stop, restore, start, HTTP and FTP proofs (a new FTP password). */
    @Transactional
    public JobView requestRestore(UUID unitId, UUID backupId, TenantScope scope, String actor) {
        UnitEntity unit = ownedJail(unitId, scope);
        BackupView backup = backups.find(backupId).filter(b -> b.unitId().equals(unit.id()))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
        if (!backup.verified()) {
            throw InvalidRequestException.of("backup", "backup of " + backup.takenAt() + " is not verified ("
                    + backup.outcome().toLowerCase() + "): only a verified backup can be restored", "backup.not-verified",
                    String.valueOf(backup.takenAt()), backup.outcome().toLowerCase());
        }
        return unitJobs.enqueue(unit, unit.kind() == UnitKind.VM ? JobKind.RESTORE_VM_BACKUP : JobKind.RESTORE_JAIL,
                "{\"backup\":\"" + backup.id() + "\"}", actor);
    }

    /** Protects a backup of the unit from retention (or lifts that): staff only. */
    @Transactional
    @StaffOnly
    public void protect(UUID unitId, UUID backupId, boolean protect, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        backups.find(backupId).filter(b -> b.unitId().equals(unit.id()))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
        backups.protect(backupId, protect);
    }

    /** Queues the node's re-verification now: its verified backups restored again (staff). */
    @Transactional
    @StaffOnly
    public JobView requestReverification(String node, String actor) {
        boolean exists = jdbc.sql("select count(*) from node where name = :n").param("n", node).query(Long.class)
                .single() > 0;
        if (!exists) {
            throw NotFoundException.of("node", node);
        }
        return queue.enqueue(JobKind.VERIFY_BACKUPS, node, null, null, "node " + node, "{}", null, actor).view();
    }

    /** A new jail, with its own domain and IPv4, whose site is the one of a backup. */
    public record NewUnitFromBackup(String domain, String ipv4, String diskSize) {
    }

    /**
     * Restores a verified backup into a new jail of the backup's tenant, on the backup's node (its
     * repository), also when the backed-up unit is deleted: the new jail is built from the template
     * and gets the backup's web root (staff). Disk size: as asked, else the unit's if it still exists.
     */
    @Transactional
    @StaffOnly
    public JobView requestRestoreToNewUnit(UUID unitId, UUID backupId, NewUnitFromBackup target, String actor) {
        Backups.Origin origin = backups.origin(backupId).filter(o -> o.unitId().equals(unitId))
                .orElseThrow(() -> NotFoundException.of("backup", backupId));
        BackupView backup = backups.find(backupId).orElseThrow();
        if (!backup.verified()) {
            throw InvalidRequestException.of("backup", "backup of " + backup.takenAt() + " is not verified ("
                    + backup.outcome().toLowerCase() + "): only a verified backup can be restored", "backup.not-verified",
                    String.valueOf(backup.takenAt()), backup.outcome().toLowerCase());
        }
        Optional<VmFacts> vm = vmBackups.facts(backupId);
        if (vm.isPresent()) {
            // The VM's shape and template as backed up; the disk at least as large as it was.
            var facts = vm.get();
            String disk = target.diskSize() != null && !target.diskSize().isBlank() ? target.diskSize()
                    : (facts.diskBytes() >> 20) + "M";
            return unitService.requestVmFromBackup(new UnitRequest(origin.tenantId(), origin.nodeName(), UnitKind.VM,
                    disk, target.domain(), target.ipv4(), String.valueOf(facts.vcpus()),
                    String.valueOf(facts.memoryMib()), facts.template(), null), backupId, facts.domain(), facts.disk(), actor);
        }
        String size = target.diskSize() != null && !target.diskSize().isBlank() ? target.diskSize()
                : units.findById(origin.unitId()).map(u -> (u.diskBytes() >> 20) + "M").orElseThrow(() ->
                        InvalidRequestException.of("diskSize", "the backed-up unit is deleted: give the new jail's disk size",
                                "backup.disk-size-needed"));
        return unitService.requestFromBackup(UnitRequest.jail(origin.tenantId(), origin.nodeName(), size,
                target.domain(), target.ipv4(), null), backupId, actor);
    }

    /** When the unit's next scheduled backup is due, if it has a schedule. */
    @Transactional(readOnly = true)
    public Optional<Instant> nextRun(UUID unitId, TenantScope scope) {
        return scheduler.nextRun(unitJobs.owned(unitId, scope).id());
    }

    UnitEntity ownedJail(UUID unitId, TenantScope scope) {
        UnitEntity unit = unitJobs.owned(unitId, scope);
        if (unit.state() != UnitState.RUNNING && unit.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", unit.domain() + " is " + unit.state().name().toLowerCase()
                    + ": backups and restores need a running or stopped " + unit.kind().name().toLowerCase(),
                    "backup.state-" + unit.kind().name().toLowerCase(), unit.domain(), unit.state().name().toLowerCase());
        }
        return unit;
    }
}
