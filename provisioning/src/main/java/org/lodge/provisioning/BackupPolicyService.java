package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.lodge.provisioning.backup.BackupPolicies;
import org.lodge.provisioning.backup.BackupRetention;
import org.lodge.provisioning.backup.BackupScheduler;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.unit.UnitRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Backup policies, a staff matter: a tenant's default schedule and retention, a unit's own, as
 * the staff's forms show them and set them (checked before anything is stored).
 */
@Service
public class BackupPolicyService {

    /** keep-last 3, keep-daily 7, keep-weekly 4, keep-monthly 6: a week day by day, then about half a year. */
    private static final BackupRetention.Policy DEFAULT_RETENTION = new BackupRetention.Policy(3, 0, 7, 4, 6, 0);

    private final BackupPolicies policies;
    private final UnitRepository units;
    private final UnitJobs unitJobs;
    private final BackupScheduler scheduler;
    private final JdbcClient jdbc;

    BackupPolicyService(BackupPolicies policies, UnitRepository units, UnitJobs unitJobs, BackupScheduler scheduler,
                        JdbcClient jdbc) {
        this.policies = policies;
        this.units = units;
        this.unitJobs = unitJobs;
        this.scheduler = scheduler;
        this.jdbc = jdbc;
    }

    /** The unit's own policy, if it has one (staff). */
    @Transactional(readOnly = true)
    @StaffOnly
    public Optional<Schedule> ofUnit(UUID unitId) {
        return units.findById(unitId).flatMap(u -> policies.of(u.tenantId(), u.id()));
    }

    /** The tenant's default policy, if it has one (staff). */
    @Transactional(readOnly = true)
    @StaffOnly
    public Optional<Schedule> ofTenant(UUID tenantId) {
        return policies.of(tenantId, null);
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
        UnitEntity unit = unitJobs.owned(unitId, scope);
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
}
