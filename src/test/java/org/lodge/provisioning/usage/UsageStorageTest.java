package org.lodge.provisioning.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.UsageRange;
import org.lodge.provisioning.UsageSeries;
import org.lodge.support.PortalOnlyTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Usage storage on a controlled clock, on the real PostgreSQL: partitions made ahead with row
 * security and dropped whole past retention; minutes rolled up into five-minute and hourly rows
 * with a counter reset in the middle; queries that read only their range's partitions. The dates
 * are in the past (2020, 2021) so that they never meet the samples of the running context.
 */
@PortalOnlyTest
class UsageStorageTest {

    /** Two hours of samples of a unit that restarts after the first hour. */
    private static final Instant T0 = Instant.parse("2021-07-10T10:00:00Z");
    private static final long CPU_PER_MINUTE = 30_000_000_000L;
    private static final long BYTES_PER_MINUTE = 6_000;

    @Autowired
    UsagePartitions partitions;
    @Autowired
    UsageStore store;
    @Autowired
    UsageRollups rollups;
    @Autowired
    UsageQueries queries;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void forgetTheTestMarks() {
        // The running context's Quartz job starts again from "a day ago" rather than from 2021.
        jdbc.sql("delete from usage_rollup_mark where done_until < '2022-01-01'").update();
    }

    @Test
    void partitionsAreMadeAheadWithRowSecurityAndDroppedWholePastTheirRetention() {
        List<String> created = partitions.ensure(Instant.parse("2020-01-10T12:00:00Z"));

        assertThat(created).contains("usage_sample_p20200110", "usage_sample_p20200113", "usage_5m_p202001",
                "usage_5m_p202002", "usage_hour_p202001", "usage_hour_p202002");
        assertThat(partitions.ensure(Instant.parse("2020-01-10T13:00:00Z"))).as("made once").isEmpty();
        for (String name : created) {
            assertThat(jdbc.sql("""
                    select c.relrowsecurity and c.relforcerowsecurity
                           and exists (select 1 from pg_policy p where p.polrelid = c.oid)
                      from pg_class c where c.relname = :name""").param("name", name).query(Boolean.class).single())
                    .as(name + " has the tenant row security").isTrue();
        }

        List<String> raw = partitions.dropExpired(Instant.parse("2020-02-10T00:00:00Z"));
        assertThat(raw).contains("usage_sample_p20200110", "usage_sample_p20200113")
                .as("roll-ups are kept longer").doesNotContain("usage_5m_p202001", "usage_hour_p202001");
        String today = "usage_sample_p" + java.time.format.DateTimeFormatter.BASIC_ISO_DATE
                .format(java.time.LocalDate.now(ZoneOffset.UTC));
        assertThat(partitions.partitions()).as("today's partition stays").contains(today)
                .doesNotContain("usage_sample_p20200110");

        List<String> later = partitions.dropExpired(Instant.parse("2021-06-01T00:00:00Z"));
        assertThat(later).contains("usage_5m_p202001", "usage_5m_p202002", "usage_hour_p202001", "usage_hour_p202002");
    }

    /**
     * A new database just after midnight: the partitions are made from the new day on, and the
     * sampler's batch still holds the last minute of the day before (CI once failed on that).
     */
    @Test
    void aSampleOfTheDayBeforeTheFirstPartitionMadeStillFindsOne() {
        partitions.ensure(Instant.parse("2020-03-10T00:00:30Z"));
        UUID unit = UUID.randomUUID();
        store.insert(List.of(new UsageSample(unit, UUID.randomUUID(), Instant.parse("2020-03-09T23:59:00Z"), 0L,
                1L << 20, 1L << 20, 0L, 0L, 0L, 0L)));

        assertThat(jdbc.sql("select count(*) from usage_sample_p20200309 where unit_id = :u").param("u", unit)
                .query(Long.class).single()).isEqualTo(1);
        partitions.dropExpired(Instant.parse("2020-06-01T00:00:00Z"));
    }

    @Test
    void minutesBecomeFiveMinuteAndHourlyRowsAndARestartGivesNoNegativeOrHugeRate() {
        partitions.ensure(T0);
        UUID unit = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        List<UsageSample> samples = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            // At minute 60 the unit restarted: its counters began again from zero a minute earlier.
            long run = i < 60 ? i : i - 59;
            samples.add(new UsageSample(unit, tenant, T0.plusSeconds(60L * i), run * CPU_PER_MINUTE, 100L << 20,
                    (1L << 30) + i, run * BYTES_PER_MINUTE, run * BYTES_PER_MINUTE * 2, run * BYTES_PER_MINUTE,
                    run * BYTES_PER_MINUTE * 3));
        }
        store.insert(samples);
        for (String level : List.of("5m", "hour")) {
            jdbc.sql("insert into usage_rollup_mark (level, done_until) values (:l, :t)"
                            + " on conflict (level) do update set done_until = excluded.done_until")
                    .param("l", level).param("t", T0.atOffset(ZoneOffset.UTC)).update();
        }

        rollups.rollUp(T0.plus(Duration.ofHours(2)).plusSeconds(60));

        assertThat(jdbc.sql("select count(*) from usage_5m where unit_id = :u").param("u", unit).query(Long.class)
                .single()).isEqualTo(24);
        assertThat(jdbc.sql("select count(*) from usage_hour where unit_id = :u").param("u", unit).query(Long.class)
                .single()).isEqualTo(2);
        Instant now = T0.plus(Duration.ofHours(2)).plusSeconds(60);
        for (UsageRange range : List.of(UsageRange.DAY, UsageRange.MONTH)) {
            UsageSeries series = queries.series(unit, tenant, range, now);
            assertThat(series.time()).hasSize(range == UsageRange.DAY ? 24 : 2);
            assertSteady(series);
        }
        UsageSeries lastHour = queries.series(unit, tenant, UsageRange.HOUR, T0.plus(Duration.ofHours(2)));
        assertThat(lastHour.resolution()).isEqualTo("minute");
        assertThat(lastHour.time()).as("raw minutes, the restart's included").hasSize(60);
        assertSteady(lastHour);
        assertThat(lastHour.memoryBytes()).containsOnly(100L << 20);

        assertThat(queries.series(unit, UUID.randomUUID(), UsageRange.DAY, now).time())
                .as("another tenant's rows are not read").isEmpty();
        long traffic = jdbc.sql("select net_in_bytes from usage_traffic_month where unit_id = :u and month = '2021-07-01Z'")
                .param("u", unit).query(Long.class).single();
        assertThat(traffic).as("all traffic of the month, the restarted run's first minute included")
                .isEqualTo(119 * BYTES_PER_MINUTE);
    }

    /** Every point 50 % of one core and 100 B/s in, 300 B/s out, 100 B/s read, 200 B/s written: the restart changed nothing. */
    private static void assertSteady(UsageSeries series) {
        assertThat(series.cpuPercent()).allSatisfy(v -> assertThat(v).isCloseTo(50.0, within(0.01)));
        assertThat(series.netInBytesPerSecond()).allSatisfy(v -> assertThat(v).isCloseTo(100.0, within(0.01)));
        assertThat(series.netOutBytesPerSecond()).allSatisfy(v -> assertThat(v).isCloseTo(300.0, within(0.01)));
        assertThat(series.diskReadBytesPerSecond()).allSatisfy(v -> assertThat(v).isCloseTo(100.0, within(0.01)));
        assertThat(series.diskWriteBytesPerSecond()).allSatisfy(v -> assertThat(v).isCloseTo(200.0, within(0.01)));
    }

    @Test
    void aQueryReadsOnlyThePartitionsOfItsRange() {
        partitions.ensure(T0);
        String plan = String.join("\n", jdbc.sql("""
                explain (costs off) select * from usage_sample
                 where unit_id = :u and at >= '2021-07-10 09:00Z' and at < '2021-07-10 10:00Z'""")
                .param("u", UUID.randomUUID()).query(String.class).list());
        assertThat(plan).contains("usage_sample_p20210710").doesNotContain("usage_sample_p20210711");
    }
}
