package org.lodge.provisioning.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Minutes become five-minute rows, five-minute rows become hourly rows. Each level keeps a mark
 * (table {@code usage_rollup_mark}) of how far it has been done and moves it in the transaction
 * that writes its rows, so a run that fails or a Quartz misfire is caught up by the next run
 * (at most {@link #MAX_STEP} per run) and a bucket is never counted twice (rows are upserted).
 *
 * <p>The rule for counters lives in {@link #DELTA}: the difference to the unit's previous sample,
 * or the new value itself when it is smaller (the unit restarted and its counters with it); so a
 * delta is never negative, and never bigger than what the unit's current run has counted.
 */
@Component
public class UsageRollups {

    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    /** Samples this late after their bucket's end are still rolled up (a pass takes seconds). */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration MAX_STEP = Duration.ofDays(1);
    /** How far before a bucket the previous sample of a unit is looked for. */
    private static final String LOOKBACK = "interval '10 minutes'";

    /** A counter's growth since the previous sample; the counter itself after a reset. */
    static final String DELTA = """
            case when %1$s is null or lag(%1$s) over w is null then null
                 when %1$s >= lag(%1$s) over w then %1$s - lag(%1$s) over w
                 else %1$s end""";

    private static final String COLUMNS = """
            (unit_id, tenant_id, bucket, samples, seconds, cpu_ns, memory_avg_bytes, memory_max_bytes, disk_used_bytes,
             disk_read_bytes, disk_write_bytes, net_in_bytes, net_out_bytes)""";
    /** A bucket rolled up again (a late sample, a re-run) replaces its row. */
    private static final String UPSERT = """
            on conflict (unit_id, bucket) do update set
                   samples = excluded.samples, seconds = excluded.seconds, cpu_ns = excluded.cpu_ns,
                   memory_avg_bytes = excluded.memory_avg_bytes, memory_max_bytes = excluded.memory_max_bytes,
                   disk_used_bytes = excluded.disk_used_bytes, disk_read_bytes = excluded.disk_read_bytes,
                   disk_write_bytes = excluded.disk_write_bytes, net_in_bytes = excluded.net_in_bytes,
                   net_out_bytes = excluded.net_out_bytes""";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public UsageRollups(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** Rolls up every bucket that ended before {@code now}; the new marks. */
    public Marks rollUp(Instant now) {
        Instant fiveDone = step("5m", floor(now.minus(GRACE), FIVE_MINUTES), this::fiveMinutes);
        Instant hourDone = step("hour", fiveDone.truncatedTo(ChronoUnit.HOURS), this::hours);
        return new Marks(fiveDone, hourDone);
    }

    public record Marks(Instant fiveMinutes, Instant hours) {
    }

    private interface Level {
        void roll(Instant from, Instant to);
    }

    private Instant step(String level, Instant until, Level roll) {
        return tx.execute(status -> {
            Instant from = mark(level).orElse(until.minus(MAX_STEP));
            Instant to = until.isAfter(from.plus(MAX_STEP)) ? from.plus(MAX_STEP) : until;
            if (!to.isAfter(from)) {
                return from;
            }
            roll.roll(from, to);
            jdbc.sql("""
                    insert into usage_rollup_mark (level, done_until) values (:level, :to)
                    on conflict (level) do update set done_until = excluded.done_until""")
                    .param("level", level).param("to", to.atOffset(ZoneOffset.UTC)).update();
            return to;
        });
    }

    private Optional<Instant> mark(String level) {
        return jdbc.sql("select done_until from usage_rollup_mark where level = :level for update")
                .param("level", level).query(java.time.OffsetDateTime.class).optional().map(t -> t.toInstant());
    }

    private void fiveMinutes(Instant from, Instant to) {
        jdbc.sql("""
                insert into usage_5m %s
                select unit_id, tenant_id, date_bin('5 minutes', at, timestamptz '2000-01-01 00:00+00') as bucket,
                       count(*), coalesce(sum(secs), 0)::integer, coalesce(sum(cpu), 0),
                       avg(memory_bytes)::bigint, max(memory_bytes), max(disk_used_bytes),
                       coalesce(sum(rd), 0), coalesce(sum(wr), 0), coalesce(sum(nin), 0), coalesce(sum(nout), 0)
                  from (select unit_id, tenant_id, at, memory_bytes, disk_used_bytes,
                               extract(epoch from at - lag(at) over w) as secs,
                               %s as cpu, %s as rd, %s as wr, %s as nin, %s as nout
                          from usage_sample
                         where at >= cast(:from as timestamptz) - %s and at < :to
                        window w as (partition by unit_id order by at)) deltas
                 where at >= :from
                 group by unit_id, tenant_id, bucket
                %s"""
                .formatted(COLUMNS, DELTA.formatted("cpu_ns"), DELTA.formatted("disk_read_bytes"),
                        DELTA.formatted("disk_write_bytes"), DELTA.formatted("net_in_bytes"),
                        DELTA.formatted("net_out_bytes"), LOOKBACK, UPSERT))
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC)).update();
    }

    private void hours(Instant from, Instant to) {
        jdbc.sql("""
                insert into usage_hour %s
                select unit_id, tenant_id, date_trunc('hour', bucket, 'UTC'), sum(samples), sum(seconds), sum(cpu_ns),
                       (sum(memory_avg_bytes * samples) / nullif(sum(samples) filter (where memory_avg_bytes is not null), 0))::bigint,
                       max(memory_max_bytes), max(disk_used_bytes), sum(disk_read_bytes), sum(disk_write_bytes),
                       sum(net_in_bytes), sum(net_out_bytes)
                  from usage_5m
                 where bucket >= :from and bucket < :to
                 group by unit_id, tenant_id, date_trunc('hour', bucket, 'UTC')
                %s""".formatted(COLUMNS, UPSERT))
                .param("from", from.atOffset(ZoneOffset.UTC)).param("to", to.atOffset(ZoneOffset.UTC)).update();
    }

    static Instant floor(Instant t, Duration step) {
        long s = step.toSeconds();
        return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), s) * s);
    }
}
