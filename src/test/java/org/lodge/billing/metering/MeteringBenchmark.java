package org.lodge.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Figures, not a check: the hourly close for {@value #UNITS} open meters (one set-based INSERT …
 * SELECT … ON CONFLICT DO NOTHING), one hour at a time, then a day caught up at once.
 * Run with {@code mvn test -Dtest=MeteringBenchmark -DexcludedGroups=}.
 */
@Tag("bench")
@PortalOnlyTest
class MeteringBenchmark {

    static final int UNITS = 10_000;

    @Autowired
    TestData data;
    @Autowired
    MeterStore meters;
    @Autowired
    JdbcClient jdbc;

    @Test
    void hourlyCloseOfTenThousandUnits() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(30));
        UUID tenant = data.tenant("meter-bench").getId();
        jdbc.sql("""
                insert into billing_meter (unit_id, tenant_id, disk_bytes, memory_mib, vcpus, shape_at, suspended_at,
                                           started_at, closed_until)
                select gen_random_uuid(), :tenant, 1073741824, 256, 1, :t0, :t0, :t0, :t0 from generate_series(1, :n)""")
                .param("tenant", tenant).param("t0", java.sql.Timestamp.from(t0)).param("n", UNITS).update();
        jdbc.sql("analyze billing_meter").update();
        double worst = 0;
        double sum = 0;
        int hours = 5;
        for (int h = 1; h <= hours; h++) {
            long started = System.nanoTime();
            int rows = meters.closeAll(t0.plus(Duration.ofHours(h)));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(rows).isGreaterThanOrEqualTo(UNITS);
            worst = Math.max(worst, seconds);
            sum += seconds;
        }
        long started = System.nanoTime();
        int day = meters.closeAll(t0.plus(Duration.ofHours(hours + 24)));
        double daySeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BENCH metering: %d units, one hour closed in %.2f s on average (worst %.2f s);"
                        + " 24 hours caught up at once: %d rows in %.2f s (%.2f s per hour)%n", UNITS, sum / hours,
                worst, day, daySeconds, daySeconds / 24);
        jdbc.sql("update billing_meter set ended_at = closed_until where tenant_id = :t").param("t", tenant).update();
    }
}
