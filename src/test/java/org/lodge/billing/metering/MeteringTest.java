package org.lodge.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitResized;
import org.lodge.provisioning.UnitSuspended;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The hourly ledger across a unit's life, on a controlled timeline: the events carry their
 * times (as provisioning's do) and the hourly closing is called with the hour it would run at.
 * The timeline lies in the past, so no other test's meter (started now) has hours before it.
 */
@PortalOnlyTest
class MeteringTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);
    private static final long GIB = 1L << 30;

    @Autowired
    TestData data;
    @Autowired
    MeterStore meters;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ApplicationEventPublisher events;

    record Hour(Instant hour, long diskBytes) {
    }

    @Test
    void createResizeAndDeleteCountEveryHourOnceWithTheShapeItBeganWith() {
        TenantEntity tenant = data.tenant("meter");
        UUID unit = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(3));
        UnitCreated created = new UnitCreated(unit, tenant.getId(), UnitKind.JAIL, "m.example.com", GIB, 256, 1,
                null, t0.plus(Duration.ofMinutes(20)));
        publish(created);
        await().atMost(DELIVERY).until(() -> meters.exists(unit));

        meters.closeAll(t0.plus(Duration.ofHours(3)));                     // the hourly job at t0+3h
        assertThat(hours(unit)).hasSize(3);
        UnitResized resized = new UnitResized(unit, tenant.getId(), 2 * GIB, 256, 1,
                t0.plus(Duration.ofHours(4)).plus(Duration.ofMinutes(10)));
        publish(resized);                                                   // closes t0+3h and t0+4h at 1 GiB
        await().atMost(DELIVERY).until(() -> hours(unit).size() == 5);
        meters.closeAll(t0.plus(Duration.ofHours(4)));                     // a late hourly run: nothing new
        meters.closeAll(t0.plus(Duration.ofHours(6)));                     // t0+5h at 2 GiB
        UnitDeleted deleted = new UnitDeleted(unit, tenant.getId(), t0.plus(Duration.ofHours(7)).plusSeconds(1800));
        publish(deleted);                                                   // ends the meter at t0+7h30
        await().atMost(DELIVERY).until(() -> ended(unit));
        assertThat(hours(unit)).as("a deletion closes nothing itself").hasSize(6);
        meters.closeAll(t0.plus(Duration.ofHours(9)));                     // t0+6h and t0+7h, then no more
        assertThat(hours(unit)).hasSize(8);
        meters.closeAll(t0.plus(Duration.ofHours(12)));                    // an ended meter gets no more hours

        // Every event again, as a resubmission after a crash would deliver them: nothing changes.
        publish(created);
        publish(resized);
        publish(deleted);
        await().atMost(DELIVERY).until(() -> incomplete(unit) == 0);
        meters.closeAll(t0.plus(Duration.ofHours(12)));

        List<Hour> hours = hours(unit);
        assertThat(hours).extracting(Hour::hour).containsExactly(
                t0, t0.plus(Duration.ofHours(1)), t0.plus(Duration.ofHours(2)), t0.plus(Duration.ofHours(3)),
                t0.plus(Duration.ofHours(4)), t0.plus(Duration.ofHours(5)), t0.plus(Duration.ofHours(6)),
                t0.plus(Duration.ofHours(7)));
        assertThat(hours).extracting(Hour::diskBytes).containsExactly(GIB, GIB, GIB, GIB, GIB, 2 * GIB, 2 * GIB,
                2 * GIB);
    }

    @Test
    void aDeletionDeliveredBeforeItsCreationStillCountsTheHoursBetween() {
        TenantEntity tenant = data.tenant("meter");
        UUID unit = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
        publish(new UnitDeleted(unit, tenant.getId(), t0.plus(Duration.ofHours(2)).plusSeconds(60)));
        await().atMost(DELIVERY).until(() -> meters.exists(unit) && incomplete(unit) == 0);
        publish(new UnitCreated(unit, tenant.getId(), UnitKind.VM, "late.example.com", GIB, 512, 2, null,
                t0.plusSeconds(30)));
        await().atMost(DELIVERY).until(() -> incomplete(unit) == 0);
        meters.closeAll(t0.plus(Duration.ofHours(5)));
        meters.closeAll(t0.plus(Duration.ofHours(6)));
        assertThat(hours(unit)).extracting(Hour::hour).containsExactly(t0, t0.plus(Duration.ofHours(1)),
                t0.plus(Duration.ofHours(2)));
    }

    @Test
    void hoursRecordTheUnitsBackupStorage() {
        TenantEntity tenant = data.tenant("meter");
        String node = "meter-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        UUID unit = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(4));
        publish(new UnitCreated(unit, tenant.getId(), UnitKind.JAIL, "b.example.com", GIB, 256, 1, null, t0));
        await().atMost(DELIVERY).until(() -> meters.exists(unit));
        backup(tenant.getId(), unit, node, t0.plus(Duration.ofMinutes(30)), 3 * GIB, "OK");
        backup(tenant.getId(), unit, node, t0.plus(Duration.ofMinutes(90)), GIB, "OK");
        backup(tenant.getId(), unit, node, t0.plus(Duration.ofMinutes(100)), 5 * GIB, "KO");
        meters.closeAll(t0.plus(Duration.ofHours(3)));
        assertThat(jdbc.sql("select backup_bytes from billing_usage_hour where unit_id = :u order by hour")
                .param("u", unit).query(Long.class).list()).containsExactly(3 * GIB, 4 * GIB, 4 * GIB);
    }

    /**
     * A restart redelivers outstanding events in any order: a suspension delivered before an
     * older resize still lets the resize count from then on (the two were once ordered by one time,
     * and the resize was dropped for good). The hours the suspension closed keep the older shape.
     */
    @Test
    void aResizeDeliveredAfterALaterSuspensionStillCounts() {
        TenantEntity tenant = data.tenant("meter");
        UUID unit = UUID.randomUUID();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(4));
        publish(new UnitCreated(unit, tenant.getId(), UnitKind.JAIL, "s.example.com", GIB, 256, 1, null,
                t0.plus(Duration.ofMinutes(20))));
        await().atMost(DELIVERY).until(() -> meters.exists(unit) && incomplete(unit) == 0);

        publish(new UnitSuspended(unit, tenant.getId(), t0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10))));
        await().atMost(DELIVERY).until(() -> incomplete(unit) == 0);
        publish(new UnitResized(unit, tenant.getId(), 2 * GIB, 256, 1, t0.plus(Duration.ofHours(1)).plusSeconds(600)));
        await().atMost(DELIVERY).until(() -> incomplete(unit) == 0);
        meters.closeAll(t0.plus(Duration.ofHours(6)));

        assertThat(jdbc.sql("select hour, disk_bytes, suspended from billing_usage_hour where unit_id = :u order by hour")
                .param("u", unit).query((rs, n) -> rs.getLong(2) + (rs.getBoolean(3) ? " suspended" : "")).list())
                .containsExactly("1073741824", "1073741824", "1073741824", "1073741824", "2147483648 suspended",
                        "2147483648 suspended");
    }

    private void backup(UUID tenant, UUID unit, String node, Instant at, long added, String outcome) {
        jdbc.sql("""
                insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, added_bytes,
                                    outcome)
                values (:id, :t, :u, 'b.example.com', :n, '/r', :at, :added, :o)""")
                .param("id", UUID.randomUUID()).param("t", tenant).param("u", unit).param("n", node)
                .param("at", java.sql.Timestamp.from(at)).param("added", added).param("o", outcome).update();
    }

    private void publish(Object event) {
        tx.executeWithoutResult(status -> events.publishEvent(event));
    }

    private List<Hour> hours(UUID unit) {
        return jdbc.sql("select hour, disk_bytes from billing_usage_hour where unit_id = :u order by hour")
                .param("u", unit)
                .query((rs, n) -> new Hour(rs.getTimestamp(1).toInstant(), rs.getLong(2))).list();
    }

    private boolean ended(UUID unit) {
        return jdbc.sql("select count(*) from billing_meter where unit_id = :u and ended_at is not null")
                .param("u", unit).query(Integer.class).single() == 1;
    }

    private int incomplete(UUID unit) {
        return jdbc.sql("select count(*) from event_publication where completion_date is null"
                + " and serialized_event like :u").param("u", "%" + unit + "%").query(Integer.class).single();
    }
}
