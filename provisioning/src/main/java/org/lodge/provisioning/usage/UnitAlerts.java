package org.lodge.provisioning.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lodge.provisioning.UnitAlert;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A unit's alerts, judged when asked from what the worker keeps true (the state sync's state
 * and disk use, the usage samples) and from the unit's jobs: its disk at or past
 * {@code lodge.usage.disk-alert-percent} (90 %); its memory at {@code lodge.usage.memory-alert-percent}
 * (95 %) of its limit or more in every
 * sample of the last five minutes (at least three); or the unit down while it should run — its
 * latest successful power job started it (create, start, restart, resume, restore) and no job is
 * at work on it now; or a backup of it failed (its job, or a later re-verification) and no good
 * backup was taken since (BACKUP_FAILED, e-mailed to staff only, docs/backups.md).
 */
@Component
public class UnitAlerts {

    private final JdbcClient jdbc;
    private final int diskPercent;
    private final int memoryPercent;

    public UnitAlerts(JdbcClient jdbc, @Value("${lodge.usage.disk-alert-percent:90}") int diskPercent,
                      @Value("${lodge.usage.memory-alert-percent:95}") int memoryPercent) {
        this.jdbc = jdbc;
        this.diskPercent = diskPercent;
        this.memoryPercent = memoryPercent;
    }

    private record Facts(UUID id, String state, long diskBytes, Long diskUsed, String lastPowerJob, boolean busy,
                         long memoryLimit, int recentSamples, Long recentMinMemory, java.sql.Timestamp backupFailedTaken,
                         String backupFailedReason, String backupFailedCode, String backupFailedArgs) {
    }

    public List<UnitAlert> of(UUID unitId) {
        return facts("u.id = :id", "id", unitId).stream().findFirst().map(this::judge).orElse(List.of());
    }

    /** The alerts of the given units (one page of a list), in one query; units without alerts left out. */
    public Map<UUID, List<UnitAlert>> ofUnits(java.util.Collection<UUID> unitIds) {
        return unitIds.isEmpty() ? Map.of() : judged(facts("u.id in (:ids)", "ids", unitIds));
    }

    /** The alerts of every unit of a tenant (or of all tenants: null), in one query; units without alerts left out. */
    public Map<UUID, List<UnitAlert>> ofTenant(UUID tenantId) {
        return judged(tenantId == null ? facts("true", "none", "") : facts("u.tenant_id = :t", "t", tenantId));
    }

    private Map<UUID, List<UnitAlert>> judged(List<Facts> all) {
        Map<UUID, List<UnitAlert>> found = new HashMap<>();
        for (Facts facts : all) {
            List<UnitAlert> alerts = judge(facts);
            if (!alerts.isEmpty()) {
                found.put(facts.id(), alerts);
            }
        }
        return found;
    }

    /** {@code where} is one of the constant conditions above, never input. */
    private List<Facts> facts(String where, String name, Object value) {
        return jdbc.sql("""
                select u.id, u.state, u.disk_bytes, u.disk_used_bytes,
                       (select j.kind from provisioning_job j
                         where j.unit_id = u.id and j.state = 'OK'
                           and j.kind in ('CREATE_JAIL', 'START_JAIL', 'RESTART_JAIL', 'STOP_JAIL', 'CREATE_VM',
                                          'START_VM', 'REBOOT_VM', 'RESUME_VM', 'RESTORE_VM', 'SHUTDOWN_VM',
                                          'POWER_OFF_VM', 'SUSPEND_VM', 'SAVE_VM')
                         order by j.finished_at desc nulls last limit 1) as last_power_job,
                       exists (select 1 from provisioning_job j where j.unit_id = u.id
                                  and j.state in ('ENQUEUED', 'RUNNING', 'COMPENSATING')) as busy,
                       u.memory_mib::bigint * 1048576 as memory_limit, m.samples, m.min_memory,
                       f.taken_at as backup_failed_taken, f.reason as backup_failed_reason,
                       f.reason_code as backup_failed_code, f.reason_args::text as backup_failed_args
                  from unit u
                       cross join lateral (select count(*)::int as samples, min(memory_bytes) as min_memory from usage_sample s
                                 where s.unit_id = u.id and s.at >= now() - interval '5 minutes') m
                       -- the newest backup failure (job or re-verification) with no good backup taken after it
                       left join lateral (select b.taken_at, b.reason, b.reason_code, b.reason_args from backup b
                                 where b.unit_id = u.id and b.outcome = 'KO' and b.failed_at is not null
                                   and not exists (select 1 from backup g where g.unit_id = u.id and g.outcome = 'OK'
                                                      and g.taken_at > b.failed_at)
                                 order by b.failed_at desc limit 1) f on true
                 where %s""".formatted(where))
                .param(name, value)
                .query((rs, n) -> new Facts(rs.getObject("id", UUID.class), rs.getString("state"), rs.getLong("disk_bytes"),
                        rs.getObject("disk_used_bytes", Long.class), rs.getString("last_power_job"), rs.getBoolean("busy"),
                        rs.getLong("memory_limit"), rs.getInt("samples"), rs.getObject("min_memory", Long.class),
                        rs.getTimestamp("backup_failed_taken"), rs.getString("backup_failed_reason"),
                        rs.getString("backup_failed_code"), rs.getString("backup_failed_args")))
                .list();
    }

    private List<UnitAlert> judge(Facts facts) {
        List<UnitAlert> alerts = new ArrayList<>();
        if (facts.diskUsed() != null && facts.diskUsed() * 100 >= facts.diskBytes() * diskPercent) {
            alerts.add(new UnitAlert("DISK_FULL", "Disk " + Math.round(facts.diskUsed() * 100.0 / facts.diskBytes())
                    + " % full (alert at " + diskPercent + " %): free some space or grow the disk.",
                    Math.round(facts.diskUsed() * 100.0 / facts.diskBytes()), diskPercent));
        }
        if (facts.recentSamples() >= 3 && facts.recentMinMemory() != null
                && facts.recentMinMemory() * 100 >= facts.memoryLimit() * memoryPercent) {
            alerts.add(new UnitAlert("MEMORY_FULL", "Memory at its limit of " + facts.memoryLimit() / 1048576
                    + " MiB for five minutes: processes may be killed; give it more memory or use less.",
                    facts.memoryLimit() / 1048576));
        }
        boolean shouldRun = facts.lastPowerJob() != null && List.of("CREATE_JAIL", "START_JAIL", "RESTART_JAIL",
                "CREATE_VM", "START_VM", "REBOOT_VM", "RESUME_VM", "RESTORE_VM").contains(facts.lastPowerJob());
        if (shouldRun && !facts.busy() && !facts.state().equals("RUNNING") && !facts.state().equals("PROVISIONING")) {
            alerts.add(new UnitAlert("DOWN", "The unit is " + facts.state().toLowerCase().replace('_', ' ')
                    + " but should be running: start it, or see its console and jobs.", facts.state()));
        }
        if (facts.backupFailedTaken() != null) {
            java.time.Instant taken = facts.backupFailedTaken().toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            alerts.add(new UnitAlert("BACKUP_FAILED", "The backup of " + taken + " failed: " + facts.backupFailedReason()
                    + ". No good backup was taken since.", taken, facts.backupFailedReason())
                    .reason(org.lodge.provisioning.Phrase.stored(facts.backupFailedCode(), facts.backupFailedArgs(),
                            facts.backupFailedReason())));
        }
        return alerts;
    }
}
