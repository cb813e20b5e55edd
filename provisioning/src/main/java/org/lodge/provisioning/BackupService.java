package org.lodge.provisioning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.backup.BackupProperties;
import org.lodge.provisioning.backup.BackupRetention;
import org.lodge.provisioning.backup.BackupScheduler;
import org.lodge.provisioning.backup.Backups;
import org.lodge.provisioning.backup.vm.VmBackupRows;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobRepository;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Backups of a unit, self-service like power control: staff and the unit's own customers list its
 * backups, take one now and restore one in place (docs/backups.md). Another tenant's unit or
 * backup answers as missing. Jails and VMs.
 */
@Service
public class BackupService {

    private static final List<JobState> ACTIVE = List.of(JobState.ENQUEUED, JobState.RUNNING, JobState.COMPENSATING);

    private final UnitRepository units;
    private final JobRepository jobs;
    private final JobQueue queue;
    private final Backups backups;
    private final BackupScheduler scheduler;
    private final JdbcClient jdbc;
    private final BackupProperties props;
    private final UnitService unitService;
    private final BackupQuotaService quotas;
    private final VmBackupRows vmBackups;

    public BackupService(UnitRepository units, JobRepository jobs, JobQueue queue, Backups backups,
                         BackupScheduler scheduler, JdbcClient jdbc, BackupProperties props, UnitService unitService,
                         BackupQuotaService quotas, VmBackupRows vmBackups) {
        this.quotas = quotas;
        this.vmBackups = vmBackups;
        this.unitService = unitService;
        this.props = props;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
        this.units = units;
        this.jobs = jobs;
        this.queue = queue;
        this.backups = backups;
    }

    /** Newest first. */
    @Transactional(readOnly = true)
    public List<BackupView> list(UUID unitId, TenantScope scope) {
        return backups.ofUnit(owned(unitId, scope).id());
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
                    .param("u", unit.id()).query(java.sql.Timestamp.class).optional()
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
        return enqueue(unit, unit.kind() == UnitKind.VM ? JobKind.BACKUP_VM : JobKind.BACKUP_JAIL, "{}", actor);
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
        return enqueue(unit, unit.kind() == UnitKind.VM ? JobKind.RESTORE_VM_BACKUP : JobKind.RESTORE_JAIL,
                "{\"backup\":\"" + backup.id() + "\"}", actor);
    }

    /** Protects a backup of the unit from retention (or lifts that): staff only. */
    @Transactional
    @StaffOnly
    public void protect(UUID unitId, UUID backupId, boolean protect, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
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
        Optional<org.lodge.provisioning.backup.vm.VmFacts> vm = vmBackups.facts(backupId);
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
        return scheduler.nextRun(owned(unitId, scope).id());
    }

    /**
     * A backup schedule: a Quartz cron expression (seconds minutes hours day-of-month month
     * day-of-week), a jitter in seconds that spreads the units' start times, whether it is on, and
     * its retention (Proxmox Backup Server's keep rules, 0 = rule off). Without any keep value the
     * retention is {@link #DEFAULT_RETENTION}; all keep values 0 keep every backup.
     */
    public record Schedule(String cron, Integer jitterSeconds, Boolean enabled, Integer keepLast, Integer keepHourly,
                           Integer keepDaily, Integer keepWeekly, Integer keepMonthly, Integer keepYearly) {
    }

    /** keep-last 3, keep-daily 7, keep-weekly 4, keep-monthly 6: a week day by day, then about half a year. */
    public static final BackupRetention.Policy DEFAULT_RETENTION = new BackupRetention.Policy(3, 0, 7, 4, 6, 0);

    /** The tenant's default schedule, for every jail of it without its own. */
    @Transactional
    @StaffOnly
    public void setTenantSchedule(UUID tenantId, Schedule schedule) {
        boolean exists = jdbc.sql("select count(*) from tenant where id = :t").param("t", tenantId)
                .query(Long.class).single() > 0;
        if (!exists) {
            throw NotFoundException.of("tenant", tenantId);
        }
        Schedule checked = check(schedule);
        scheduler.setPolicy(tenantId, null, checked.cron(), checked.jitterSeconds(), checked.enabled(), retention(checked));
    }

    /** The jail's own schedule, overriding its tenant's (a disabled one turns its schedule off). */
    @Transactional
    @StaffOnly
    public void setUnitSchedule(UUID unitId, Schedule schedule, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
        Schedule checked = check(schedule);
        scheduler.setPolicy(unit.tenantId(), unit.id(), checked.cron(), checked.jitterSeconds(), checked.enabled(),
                retention(checked));
    }

    private static Schedule check(Schedule schedule) {
        List<InvalidInputException> problems = new ArrayList<>();
        String cron = schedule == null || schedule.cron() == null ? "" : schedule.cron().strip();
        if (!BackupScheduler.isValidCron(cron)) {
            problems.add(new InvalidInputException("cron", "'" + cron + "' is not a cron expression; write seconds"
                    + " minutes hours day-of-month month day-of-week, e.g. '0 30 2 * * ?' for 02:30 every day",
                    "backup.cron", InvalidInputException.quote(cron)));
        }
        int jitter = schedule == null || schedule.jitterSeconds() == null ? 0 : schedule.jitterSeconds();
        if (jitter < 0 || jitter > 86_400) {
            problems.add(new InvalidInputException("jitterSeconds", jitter + " is outside 0–86400 seconds",
                    "backup.jitter", String.valueOf(jitter)));
        }
        Map<String, Integer> keep = keepValues(schedule);
        keep.forEach((field, value) -> {
            if (value != null && (value < 0 || value > 10_000)) {
                problems.add(new InvalidInputException(field, value + " is outside 0–10000 backups", "backup.keep",
                        String.valueOf(value)));
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new Schedule(cron, jitter, schedule.enabled() == null || schedule.enabled(), schedule.keepLast(),
                schedule.keepHourly(), schedule.keepDaily(), schedule.keepWeekly(), schedule.keepMonthly(),
                schedule.keepYearly());
    }

    private static Map<String, Integer> keepValues(Schedule schedule) {
        Map<String, Integer> keep = new LinkedHashMap<>();
        keep.put("keepLast", schedule == null ? null : schedule.keepLast());
        keep.put("keepHourly", schedule == null ? null : schedule.keepHourly());
        keep.put("keepDaily", schedule == null ? null : schedule.keepDaily());
        keep.put("keepWeekly", schedule == null ? null : schedule.keepWeekly());
        keep.put("keepMonthly", schedule == null ? null : schedule.keepMonthly());
        keep.put("keepYearly", schedule == null ? null : schedule.keepYearly());
        return keep;
    }

    private static BackupRetention.Policy retention(Schedule checked) {
        if (keepValues(checked).values().stream().allMatch(Objects::isNull)) {
            return DEFAULT_RETENTION;
        }
        return new BackupRetention.Policy(orZero(checked.keepLast()), orZero(checked.keepHourly()),
                orZero(checked.keepDaily()), orZero(checked.keepWeekly()), orZero(checked.keepMonthly()),
                orZero(checked.keepYearly()));
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    UnitEntity ownedJail(UUID unitId, TenantScope scope) {
        UnitEntity unit = owned(unitId, scope);
        if (unit.state() != UnitState.RUNNING && unit.state() != UnitState.STOPPED) {
            throw InvalidRequestException.of("action", unit.domain() + " is " + unit.state().name().toLowerCase()
                    + ": backups and restores need a running or stopped " + unit.kind().name().toLowerCase(),
                    "backup.state-" + unit.kind().name().toLowerCase(), unit.domain(), unit.state().name().toLowerCase());
        }
        return unit;
    }

    JobView enqueue(UnitEntity unit, JobKind kind, String params, String actor) {
        return enqueue(unit.id(), unit.domain(), unit.nodeName(), unit.tenantId(), kind, params, actor);
    }

    /** One active job per unit; also for a deleted unit's backups, whose unit row is gone. */
    JobView enqueue(UUID unitId, String domain, String node, UUID tenantId, JobKind kind, String params, String actor) {
        if (jobs.existsByUnitIdAndStateIn(unitId, ACTIVE)) {
            throw InvalidRequestException.of("action", domain + " has a job in progress; wait for it to end",
                    "unit.busy", domain);
        }
        return queue.enqueue(kind, node, tenantId, unitId, domain, params, null, actor).view();
    }

    UnitEntity owned(UUID unitId, TenantScope scope) {
        return units.findById(unitId).filter(u -> scope.allows(u.tenantId()))
                .orElseThrow(() -> NotFoundException.of("unit", unitId));
    }
}
