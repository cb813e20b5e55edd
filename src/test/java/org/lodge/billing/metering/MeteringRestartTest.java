package org.lodge.billing.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.LodgeApplication;
import org.lodge.SecuredPostgres;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitResized;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A process dies between provisioning's commit and the event's delivery (kill -9): the
 * registry holds the publications, incomplete, and no listener ran. This test's context plays
 * the dead process: it leaves exactly that state through Modulith's own repository (the write
 * the publishing transaction makes) and never delivers it. A second, real Spring context on the
 * same database then starts, as the restarted process would, and delivers the outstanding
 * publications at its start ({@code republish-outstanding-events-on-restart}): every hour is in
 * the ledger once, also those the hourly job closed while the event waited.
 */
@PortalOnlyTest
class MeteringRestartTest {

    private static final Duration DELIVERY = Duration.ofSeconds(60);
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
    @Autowired
    EventPublicationRepository publications;
    @Autowired
    IncompleteEventPublications incomplete;
    @Autowired
    SecuredPostgres postgres;

    @Test
    void publicationsLeftByAKilledProcessAreDeliveredOnceByTheRestartedOneAndEachHourCountsOnce() throws Exception {
        TenantEntity tenant = data.tenant("restart");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(5));
        UUID unit = UUID.randomUUID();
        publish(new UnitCreated(unit, tenant.getId(), UnitKind.JAIL, "r.example.com", GIB, 256, 1, null,
                t0.plusSeconds(600)));
        await().atMost(DELIVERY).until(() -> meters.exists(unit) && incomplete(unit) == 0);
        meters.closeAll(t0.plus(Duration.ofHours(2)));

        // The "killed" process: a resize at t0+2h30 and the deletion at t0+5h15 committed, never delivered.
        UnitResized resized = new UnitResized(unit, tenant.getId(), 4 * GIB, 256, 1,
                t0.plus(Duration.ofMinutes(150)));
        UnitDeleted deleted = new UnitDeleted(unit, tenant.getId(), t0.plus(Duration.ofMinutes(315)));
        String onCreated = jdbc.sql("select listener_id from event_publication where serialized_event like :u"
                + " and listener_id like '%MeterListener%'").param("u", "%" + unit + "%").query(String.class).single();
        leaveUndelivered(resized, onCreated.replace("UnitCreated", "UnitResized"));
        leaveUndelivered(deleted, onCreated.replace("UnitCreated", "UnitDeleted"));
        // The hourly job of the surviving cluster ran meanwhile, at the old shape and past the resize.
        meters.closeAll(t0.plus(Duration.ofHours(4)));
        assertThat(hourCount(unit)).isEqualTo(4);
        assertThat(incomplete(unit)).isEqualTo(2);

        try (ConfigurableApplicationContext restarted = restart()) {
            await().atMost(DELIVERY).until(() -> incomplete(unit) == 0);
        }
        // Later resubmissions and hourly runs find nothing left to do.
        incomplete.resubmitIncompletePublications(publication -> true);
        meters.closeAll(t0.plus(Duration.ofHours(10)));

        assertThat(hourCount(unit)).as("t0 … t0+5h, each once").isEqualTo(6);
        assertThat(jdbc.sql("select count(distinct hour) from billing_usage_hour where unit_id = :u"
                        + " and hour >= :from and hour < :to").param("u", unit)
                .param("from", java.sql.Timestamp.from(t0)).param("to", java.sql.Timestamp.from(t0.plus(Duration.ofHours(6))))
                .query(Integer.class).single()).isEqualTo(6);
        assertThat(jdbc.sql("select count(*) from event_publication where serialized_event like :u"
                        + " and listener_id like '%MeterListener%'").param("u", "%" + unit + "%")
                .query(Integer.class).single()).as("one publication per event, all completed").isEqualTo(3);
        assertThat(jdbc.sql("select disk_bytes from billing_usage_hour where unit_id = :u and hour = :h")
                .param("u", unit).param("h", java.sql.Timestamp.from(t0.plus(Duration.ofHours(5))))
                .query(Long.class).single()).as("the hour after the late resize's own close").isEqualTo(4 * GIB);
    }

    /** A second Lodge process on this test's database, started the way the real one starts. */
    private ConfigurableApplicationContext restart() throws Exception {
        Path password = Files.createTempFile("lodge-restart", ".password");
        Files.writeString(password, postgres.password());
        // Arguments, as a real start gets them: they override the profile's settings (defaults would not).
        return new SpringApplicationBuilder(LodgeApplication.class).profiles("test")
                .run("--lodge.roles=portal", "--lodge.embedded-db.mode=connect",
                        "--lodge.embedded-db.port=" + postgres.port(),
                        "--lodge.embedded-db.password-file=" + password.toAbsolutePath(), "--server.port=0");
    }

    private void leaveUndelivered(Object event, String listener) {
        tx.executeWithoutResult(status -> publications.create(
                TargetEventPublication.of(event, PublicationTargetIdentifier.of(listener))));
    }

    private void publish(Object event) {
        tx.executeWithoutResult(status -> events.publishEvent(event));
    }

    private int hourCount(UUID unit) {
        return jdbc.sql("select count(*) from billing_usage_hour where unit_id = :u").param("u", unit)
                .query(Integer.class).single();
    }

    private int incomplete(UUID unit) {
        return jdbc.sql("select count(*) from event_publication where completion_date is null"
                + " and serialized_event like :u").param("u", "%" + unit + "%").query(Integer.class).single();
    }
}
