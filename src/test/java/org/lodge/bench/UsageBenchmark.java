package org.lodge.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.UsageRange;
import org.lodge.provisioning.libvirt.DomainListing;
import org.lodge.provisioning.libvirt.LibvirtConnections;
import org.lodge.provisioning.usage.JailUsage;
import org.lodge.provisioning.usage.UsagePartitions;
import org.lodge.provisioning.usage.UsageQueries;
import org.lodge.provisioning.usage.UsageSample;
import org.lodge.provisioning.usage.UsageStore;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The usage collector's cost and the charts' speed (docs/benchmarks.md). One real jail gives the
 * cost of reading a jail's counters (repeated 1,000 times: 1,000 real jails do not fit here); the
 * batched insert is timed with 1,000 and 10,000 samples; a week's and a month's chart are read
 * from roll-ups seeded for 1,000 units; row sizes from a seeded day. Prints figures; run with
 * {@code flock /tmp/lodge-live.lock mvn test -Dtest=UsageBenchmark -DexcludedGroups=}.
 */
@LiveNodeTest
@Tag("bench")
class UsageBenchmark {

    private static final int UNITS = 1_000;

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JailUsage jails;
    @Autowired
    UsageStore store;
    @Autowired
    UsageQueries queries;
    @Autowired
    UsagePartitions partitions;
    @Autowired
    LibvirtConnections libvirt;
    @Autowired
    NodeProperties node;
    @Autowired
    JdbcClient jdbc;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Test
    void collectorPassAndChartQueries() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "bench-usage-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String unit = api.awaitOk(api.createJail(api.newTenant("bench"), "64M", domain, "10.231.77.142"))
                .path("unitId").asText();
        try {
            String name = jdbc.sql("select libvirt_name from unit where id = cast(:u as uuid)").param("u", unit)
                    .query(String.class).single();
            long listingCpu = cpu(() -> DomainListing.of(libvirt.get(node.lxcUri())));
            int controller = DomainListing.of(libvirt.get(node.lxcUri())).get(name).orElseThrow().id();
            for (int i = 0; i < 200; i++) { // warm-up
                jails.read(name, controller, jails.mounts());
            }
            long readCpu = cpu(() -> {
                Map<String, String> mounts = jails.mounts();
                for (int i = 0; i < UNITS; i++) {
                    jails.read(name, controller, mounts);
                }
            });
            List<Long> insert1k = inserts(1_000, 5);
            List<Long> insert10k = inserts(10_000, 3);
            System.out.printf("%nUSAGE-BENCH listing (1 domain) cpu %.2f ms; %d jail reads cpu %.1f ms (%.3f ms each)%n",
                    listingCpu / 1e6, UNITS, readCpu / 1e6, readCpu / 1e6 / UNITS);
            System.out.println("USAGE-BENCH " + Percentiles.row("insert 1,000 samples (one batch), wall", insert1k));
            System.out.println("USAGE-BENCH " + Percentiles.row("insert 10,000 samples (one batch), wall", insert10k));
            double passMs = readCpu / 1e6 + Percentiles.p(insert1k, 50);
            System.out.printf("USAGE-BENCH pass of 1,000 jails ≈ %.0f ms per minute = %.2f %% of one core%n",
                    passMs, passMs / 600.0);
        } finally {
            api.awaitOk(api.act(unit, "delete"));
        }
        charts();
        sizes();
    }

    private List<Long> inserts(int count, int rounds) {
        List<Long> nanos = new ArrayList<>();
        UUID tenant = UUID.randomUUID();
        List<UUID> units = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            units.add(UUID.randomUUID());
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int r = 0; r < rounds; r++) {
            Instant t = at.minusSeconds(60L * (r + 1));
            List<UsageSample> samples = units.stream().map(u -> new UsageSample(u, tenant, t, 1_000_000L, 1L << 26,
                    1L << 24, 4096L, 8192L, 1000L, 2000L)).toList();
            long start = System.nanoTime();
            store.insert(samples);
            nanos.add(System.nanoTime() - start);
        }
        return nanos;
    }

    /** A week (5-minute rows) and a month (hourly rows) of one unit among 1,000 seeded units. */
    private void charts() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS);
        partitions.ensure(now.minus(java.time.Duration.ofDays(31)));
        partitions.ensure(now.minus(java.time.Duration.ofDays(8)));
        UUID tenant = UUID.randomUUID();
        long seed = System.nanoTime();
        jdbc.sql("""
                insert into usage_5m (unit_id, tenant_id, bucket, samples, seconds, cpu_ns, memory_avg_bytes,
                                      memory_max_bytes, disk_used_bytes, disk_read_bytes, disk_write_bytes,
                                      net_in_bytes, net_out_bytes)
                select u.id, :t, b, 5, 300, 1000000000, 50000000, 60000000, 100000000, 1000, 2000, 3000, 4000
                  from (select gen_random_uuid() id from generate_series(1, :n)) u,
                       generate_series(cast(:now as timestamptz) - interval '7 days',
                                       cast(:now as timestamptz) - interval '5 minutes', interval '5 minutes') b""")
                .param("t", tenant).param("n", UNITS).param("now", now.atOffset(java.time.ZoneOffset.UTC)).update();
        jdbc.sql("""
                insert into usage_hour (unit_id, tenant_id, bucket, samples, seconds, cpu_ns, memory_avg_bytes,
                                        memory_max_bytes, disk_used_bytes, disk_read_bytes, disk_write_bytes,
                                        net_in_bytes, net_out_bytes)
                select u.unit_id, :t, b, 60, 3600, 12000000000, 50000000, 60000000, 100000000, 12000, 24000,
                       36000, 48000
                  from (select distinct unit_id from usage_5m where tenant_id = :t) u,
                       generate_series(cast(:now as timestamptz) - interval '30 days',
                                       cast(:now as timestamptz) - interval '1 hour', interval '1 hour') b""")
                .param("t", tenant).param("now", now.atOffset(java.time.ZoneOffset.UTC)).update();
        jdbc.sql("analyze usage_5m").update();
        jdbc.sql("analyze usage_hour").update();
        System.out.printf("USAGE-BENCH seeded %d units x 7 days of 5-minute rows in %.1f s%n", UNITS,
                (System.nanoTime() - seed) / 1e9);
        UUID one = jdbc.sql("select unit_id from usage_5m where tenant_id = :t limit 1").param("t", tenant)
                .query(UUID.class).single();
        for (UsageRange range : List.of(UsageRange.WEEK, UsageRange.MONTH)) {
            List<Long> nanos = new ArrayList<>();
            int points = 0;
            for (int i = 0; i < 60; i++) {
                long start = System.nanoTime();
                points = queries.series(one, tenant, range, now).time().size();
                nanos.add(System.nanoTime() - start);
            }
            System.out.println("USAGE-BENCH " + Percentiles.row("chart " + range.slug() + " (" + points + " points)",
                    nanos.subList(10, nanos.size())));
        }
    }

    /** Bytes per row of each level, from a seeded day of raw samples for 100 units and the seeded roll-ups. */
    private void sizes() {
        Instant day = Instant.parse("2025-01-15T00:00:00Z");
        partitions.ensure(day);
        jdbc.sql("""
                insert into usage_sample (unit_id, tenant_id, at, cpu_ns, memory_bytes, disk_used_bytes,
                                          disk_read_bytes, disk_write_bytes, net_in_bytes, net_out_bytes)
                select u.id, u.id, t, 123456789012, 52428800, 104857600, 12345678, 23456789, 3456789, 4567890
                  from (select gen_random_uuid() id from generate_series(1, 100)) u,
                       generate_series(cast(:d as timestamptz), cast(:d as timestamptz) + interval '1 day' - interval '1 minute',
                                       interval '1 minute') t""")
                .param("d", day.atOffset(java.time.ZoneOffset.UTC)).update();
        double raw = perRow("usage_sample_p20250115");
        double five = perRow("usage_5m_p" + java.time.format.DateTimeFormatter.ofPattern("yyyyMM")
                .format(java.time.LocalDate.now(java.time.ZoneOffset.UTC)));
        System.out.printf("USAGE-BENCH bytes per row (table + index): raw %.0f, 5m %.0f%n", raw, five);
        System.out.printf("USAGE-BENCH per unit per month: raw %.1f MiB (kept 14 days: %.1f MiB), 5m %.2f MiB, hourly %.2f MiB%n",
                raw * 43_200 / (1 << 20), raw * 20_160 / (1 << 20), five * 8_640 / (1 << 20), five * 720 / (1 << 20));
    }

    private double perRow(String partition) {
        return jdbc.sql("select pg_total_relation_size(cast(:p as regclass))::float8 / greatest(count(*), 1) from "
                        + partition).param("p", partition).query(Double.class).single();
    }

    private long cpu(Runnable work) {
        long start = threads.getCurrentThreadCpuTime();
        work.run();
        return threads.getCurrentThreadCpuTime() - start;
    }
}
