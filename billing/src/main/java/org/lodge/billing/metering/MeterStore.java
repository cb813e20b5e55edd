package org.lodge.billing.metering;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The meters and the hourly ledger (V25). Closing hours is one set-based statement: every hour
 * from a meter's {@code closed_until} to the limit gets its row ({@code on conflict do nothing},
 * so two closers, or a redelivered event, never count an hour twice), then the meter moves on.
 * A meter's row is locked while its hours close, so the hourly job and an event of that unit
 * take turns.
 */
@Component
public class MeterStore {

    private static final String CLOSE = """
            with due as (
                select m.unit_id, m.tenant_id, m.disk_bytes, m.memory_mib, m.vcpus, m.suspended, m.closed_until,
                       least(cast(:until as timestamptz), coalesce(m.ended_at, cast(:until as timestamptz))) as up_to
                  from billing_meter m
                 where %s and m.closed_until < least(cast(:until as timestamptz),
                                                      coalesce(m.ended_at, cast(:until as timestamptz)))
                 for update of m
            ), hours as (
                insert into billing_usage_hour (unit_id, tenant_id, hour, disk_bytes, memory_mib, vcpus, suspended,
                                                backup_bytes)
                select d.unit_id, d.tenant_id, h.hour, d.disk_bytes, d.memory_mib, d.vcpus, d.suspended,
                       coalesce(b.bytes, 0)
                  from due d
                 cross join lateral generate_series(d.closed_until, d.up_to - interval '1 microsecond',
                                                    interval '1 hour') as h(hour)
                  left join lateral (select sum(k.added_bytes) as bytes from backup k
                                      where k.unit_id = d.unit_id and k.outcome in ('OK', 'UNVERIFIED')
                                        and k.taken_at < h.hour + interval '1 hour') b on true
                on conflict (unit_id, hour) do nothing
                returning 1
            ), moved as (
                update billing_meter m
                   set closed_until = date_trunc('hour', d.up_to - interval '1 microsecond') + interval '1 hour'
                  from due d
                 where m.unit_id = d.unit_id
                returning 1
            )
            select (select count(*) from hours)""";

    private final JdbcClient jdbc;

    MeterStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Closes every open meter's hours that begin before {@code until}; returns the rows written. */
    public int closeAll(Instant until) {
        return jdbc.sql(CLOSE.formatted("true")).param("until", ts(until)).query(Integer.class).single();
    }

    /** Closes one unit's hours that begin before {@code until} (the final sample before a change). */
    int close(UUID unitId, Instant until) {
        return jdbc.sql(CLOSE.formatted("m.unit_id = :unit")).param("unit", unitId).param("until", ts(until))
                .query(Integer.class).single();
    }

    /**
     * Starts a meter, or fills in one that a deletion delivered first left as a tombstone. A
     * redelivered creation (same time) changes nothing.
     */
    void start(UUID unitId, UUID tenantId, long diskBytes, int memoryMib, int vcpus, Instant at) {
        jdbc.sql("""
                insert into billing_meter (unit_id, tenant_id, disk_bytes, memory_mib, vcpus, shape_at, suspended_at,
                                           started_at, closed_until)
                values (:unit, :tenant, :disk, :memory, :vcpus, :at, :at, :at,
                        date_trunc('hour', cast(:at as timestamptz)))
                on conflict (unit_id) do update
                   set disk_bytes = excluded.disk_bytes, memory_mib = excluded.memory_mib, vcpus = excluded.vcpus,
                       shape_at = excluded.shape_at, suspended_at = excluded.suspended_at,
                       started_at = excluded.started_at,
                       closed_until = excluded.closed_until
                 where billing_meter.started_at > excluded.started_at""")
                .param("unit", unitId).param("tenant", tenantId).param("disk", diskBytes).param("memory", memoryMib)
                .param("vcpus", vcpus).param("at", ts(at)).update();
    }

    /**
     * The new shape from {@code at} on, unless a later shape event set it already. A later
     * suspension does not stop it: the two are ordered each by its own time.
     */
    void reshape(UUID unitId, long diskBytes, int memoryMib, int vcpus, Instant at) {
        jdbc.sql("""
                update billing_meter set disk_bytes = :disk, memory_mib = :memory, vcpus = :vcpus, shape_at = :at
                 where unit_id = :unit and shape_at < :at""")
                .param("unit", unitId).param("disk", diskBytes).param("memory", memoryMib).param("vcpus", vcpus)
                .param("at", ts(at)).update();
    }

    void suspended(UUID unitId, boolean suspended, Instant at) {
        jdbc.sql("update billing_meter set suspended = :s, suspended_at = :at where unit_id = :unit and suspended_at < :at")
                .param("unit", unitId).param("s", suspended).param("at", ts(at)).update();
    }

    /**
     * Ends a meter at {@code at}; its hours up to then are closed by the next {@link #closeAll}. A deletion
     * delivered before its unit's creation leaves a tombstone that the creation fills in.
     */
    void end(UUID unitId, UUID tenantId, Instant at) {
        jdbc.sql("""
                insert into billing_meter (unit_id, tenant_id, disk_bytes, memory_mib, vcpus, shape_at, suspended_at,
                                           started_at, ended_at, closed_until)
                values (:unit, :tenant, 0, 0, 0, :at, :at, :at, :at,
                        date_trunc('hour', cast(:at as timestamptz) - interval '1 microsecond') + interval '1 hour')
                on conflict (unit_id) do update set ended_at = excluded.ended_at
                 where billing_meter.ended_at is null or billing_meter.ended_at > excluded.ended_at""")
                .param("unit", unitId).param("tenant", tenantId).param("at", ts(at)).update();
    }

    boolean exists(UUID unitId) {
        return jdbc.sql("select count(*) from billing_meter where unit_id = :unit").param("unit", unitId)
                .query(Integer.class).single() > 0;
    }

    private static OffsetDateTime ts(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
