package org.lodge.provisioning.backup;

import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.UUID;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.job.JobQueue;
import org.quartz.CronExpression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns backup policies into BACKUP_JAIL and BACKUP_VM jobs. Each jail's effective policy is its own override,
 * else its tenant's default; its next run is the policy's next cron time plus the unit's jitter (a
 * fixed offset in [0, jitter] derived from the unit id, so a tenant's units spread out instead of
 * starting at once) and lives in {@code backup_due}. {@link #dispatch} queues the units that are
 * due, at most {@code maxPerNode} backups queued or running per node, never beside another job of
 * the unit (such a unit stays due and is taken at a later dispatch). A node or cluster that was
 * down catches up with one backup per overdue unit, then the schedule goes on from now.
 */
@Component
public class BackupScheduler {

    private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);

    private final JdbcClient jdbc;
    private final JobQueue queue;
    private final TransactionTemplate tx;
    private final BackupProperties props;

    public BackupScheduler(JdbcClient jdbc, JobQueue queue, TransactionTemplate tx, BackupProperties props) {
        this.jdbc = jdbc;
        this.queue = queue;
        this.tx = tx;
        this.props = props;
    }

    /** Whether Quartz accepts {@code cron} (seconds minutes hours day-of-month month day-of-week [year]). */
    public static boolean isValidCron(String cron) {
        return cron != null && CronExpression.isValidExpression(cron);
    }

    /** The next run of a unit under a policy, after {@code after}; {@link Instant#MAX} when the cron has none left. */
    public static Instant next(String cron, int jitterSeconds, UUID unitId, Instant after) {
        try {
            CronExpression expression = new CronExpression(cron);
            expression.setTimeZone(TimeZone.getDefault());
            // From a time jitter earlier: the run of the current period may still be ahead with its offset.
            long offset = jitterSeconds == 0 ? 0 : Math.floorMod(unitId.getMostSignificantBits()
                    ^ unitId.getLeastSignificantBits(), jitterSeconds + 1L);
            Date fire = expression.getNextValidTimeAfter(Date.from(after.minusSeconds(offset)));
            if (fire == null) {
                return Instant.MAX;
            }
            return fire.toInstant().plusSeconds(offset);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a cron expression: " + cron, e);
        }
    }

    /** One pass: due times brought up to date with the policies, then what is due queued. The number queued. */
    public int dispatch(Instant now) {
        refresh(now);
        record Due(UUID unitId, String node, UUID tenantId, String domain, Instant dueAt, String cron, int jitter,
                   JobKind kind) {
        }
        List<Due> due = jdbc.sql("""
                select d.unit_id, u.node_name, u.tenant_id, u.domain, d.due_at, p.cron, p.jitter_seconds, u.kind
                  from backup_due d join unit u on u.id = d.unit_id join backup_policy p on p.id = d.policy_id
                 where d.due_at <= :now and u.state in ('RUNNING', 'STOPPED')
                 order by d.due_at""")
                .param("now", Timestamp.from(now))
                .query((rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7),
                        "VM".equals(rs.getString(8)) ? JobKind.BACKUP_VM : JobKind.BACKUP_JAIL))
                .list();
        int queued = 0;
        for (Due d : due) {
            try {
                Boolean done = tx.execute(status -> {
                    boolean busy = jdbc.sql("select count(*) from provisioning_job where unit_id = :u"
                            + " and state in ('ENQUEUED', 'RUNNING', 'COMPENSATING')").param("u", d.unitId())
                            .query(Long.class).single() > 0;
                    long backupsOnNode = jdbc.sql("select count(*) from provisioning_job where node_name = :n"
                            + " and kind in ('BACKUP_JAIL', 'BACKUP_VM') and state in ('ENQUEUED', 'RUNNING', 'COMPENSATING')")
                            .param("n", d.node()).query(Long.class).single();
                    if (busy || backupsOnNode >= props.maxPerNode()) {
                        return false;
                    }
                    queue.enqueue(d.kind(), d.node(), d.tenantId(), d.unitId(), d.domain(), "{}",
                            "backup:" + d.unitId() + ":" + d.dueAt().toEpochMilli(), "schedule");
                    Instant next = next(d.cron(), d.jitter(), d.unitId(), now);
                    if (next == Instant.MAX) {
                        jdbc.sql("delete from backup_due where unit_id = :u").param("u", d.unitId()).update();
                    } else {
                        jdbc.sql("update backup_due set due_at = :next where unit_id = :u")
                                .param("next", Timestamp.from(next)).param("u", d.unitId()).update();
                    }
                    return true;
                });
                queued += Boolean.TRUE.equals(done) ? 1 : 0;
            } catch (DataIntegrityViolationException raced) {
                // Another instance queued this run (same idempotency key) or the unit's job started meanwhile.
                log.info("scheduled backup of {} not queued: {}", d.domain(), raced.getMostSpecificCause().getMessage());
            }
        }
        return queued;
    }

    /** Every jail's backup_due row agrees with its effective policy (made, re-made after a change, or dropped). */
    void refresh(Instant now) {
        record Effective(UUID unitId, UUID policyId, String cron, int jitter, boolean enabled, UUID duePolicy) {
        }
        List<Effective> all = jdbc.sql("""
                select u.id, coalesce(pu.id, pt.id), coalesce(pu.cron, pt.cron), coalesce(pu.jitter_seconds, pt.jitter_seconds),
                       coalesce(pu.enabled, pt.enabled), d.policy_id
                  from unit u
                  left join backup_policy pu on pu.unit_id = u.id
                  left join backup_policy pt on pt.tenant_id = u.tenant_id and pt.unit_id is null
                  left join backup_due d on d.unit_id = u.id
                 where u.kind in ('JAIL', 'VM')""")
                .query((rs, n) -> new Effective(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getInt(4), rs.getBoolean(5), rs.getObject(6, UUID.class)))
                .list();
        for (Effective row : all) {
            // One unit's trouble (its policy deleted meanwhile, say) must not stop everyone's backups.
            try {
                align(row.unitId(), row.enabled() ? row.policyId() : null, row.duePolicy(), row.cron(), row.jitter(), now);
            } catch (DataAccessException failure) {
                log.warn("backup schedule of unit {} not brought up to date: {}", row.unitId(),
                        failure.getMostSpecificCause().getMessage());
            }
        }
        // Rows of deleted units.
        jdbc.sql("delete from backup_due d where not exists (select 1 from unit u where u.id = d.unit_id)").update();
    }

    private void align(UUID unitId, UUID policyId, UUID duePolicy, String cron, int jitter, Instant now) {
        if (policyId != null && policyId.equals(duePolicy)) {
            return;
        }
        Instant next = policyId == null ? Instant.MAX : next(cron, jitter, unitId, now);
        if (next == Instant.MAX) {
            if (duePolicy != null) {
                jdbc.sql("delete from backup_due where unit_id = :u").param("u", unitId).update();
            }
        } else {
            jdbc.sql("""
                    insert into backup_due (unit_id, policy_id, due_at) values (:u, :p, :at)
                    on conflict (unit_id) do update set policy_id = excluded.policy_id, due_at = excluded.due_at""")
                    .param("u", unitId).param("p", policyId).param("at", Timestamp.from(next)).update();
        }
    }

    /** The unit's next scheduled backup, if it has a schedule. */
    public Optional<Instant> nextRun(UUID unitId) {
        return jdbc.sql("select due_at from backup_due where unit_id = :u").param("u", unitId)
                .query(Timestamp.class).optional().map(Timestamp::toInstant);
    }

    /**
     * Sets the tenant's default policy ({@code unitId} null) or the unit's override; the due times
     * of the units it governs are recomputed at the next dispatch, its retention applies from the
     * units' next backup.
     */
    public void setPolicy(UUID tenantId, UUID unitId, String cron, int jitterSeconds, boolean enabled,
                          BackupRetention.Policy keep) {
        UUID existing = jdbc.sql("select id from backup_policy where tenant_id = :t and unit_id is not distinct from :u")
                .param("t", tenantId).param("u", unitId).query(UUID.class).optional().orElse(null);
        String sql = existing != null
                ? """
                  update backup_policy set cron = :c, jitter_seconds = :j, enabled = :e, keep_last = :kl,
                         keep_hourly = :kh, keep_daily = :kd, keep_weekly = :kw, keep_monthly = :km, keep_yearly = :ky
                   where id = :id"""
                : """
                  insert into backup_policy (id, tenant_id, unit_id, cron, jitter_seconds, enabled, keep_last,
                                             keep_hourly, keep_daily, keep_weekly, keep_monthly, keep_yearly)
                  values (:id, :t, :u, :c, :j, :e, :kl, :kh, :kd, :kw, :km, :ky)""";
        UUID id = existing != null ? existing : UUID.randomUUID();
        jdbc.sql(sql).param("id", id).param("t", tenantId).param("u", unitId).param("c", cron).param("j", jitterSeconds)
                .param("e", enabled).param("kl", keep.keepLast()).param("kh", keep.keepHourly())
                .param("kd", keep.keepDaily()).param("kw", keep.keepWeekly()).param("km", keep.keepMonthly())
                .param("ky", keep.keepYearly()).update();
        if (existing != null) {
            jdbc.sql("delete from backup_due where policy_id = :id").param("id", existing).update();
        }
    }

    /** The retention of the unit's effective policy (its own, else its tenant's), whether or not it is enabled. */
    public Optional<BackupRetention.Policy> retention(UUID unitId) {
        return jdbc.sql("""
                select p.keep_last, p.keep_hourly, p.keep_daily, p.keep_weekly, p.keep_monthly, p.keep_yearly
                  from unit u join backup_policy p on p.unit_id = u.id or (p.tenant_id = u.tenant_id and p.unit_id is null)
                 where u.id = :u
                 order by p.unit_id nulls last limit 1""")
                .param("u", unitId)
                .query((rs, n) -> new BackupRetention.Policy(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6)))
                .optional();
    }
}
