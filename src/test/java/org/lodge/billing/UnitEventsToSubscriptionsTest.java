package org.lodge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.job.JobStore;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.modulith.events.core.EventPublicationRepository;
import org.springframework.modulith.events.core.PublicationTargetIdentifier;
import org.springframework.modulith.events.core.TargetEventPublication;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Provisioning's job completion publishes unit events; billing turns them into subscriptions.
 * No libvirt: the test plays the worker by claiming the job and ending it OK in the job table,
 * which is where provisioning publishes (the OK transition's transaction).
 */
@PortalOnlyTest
class UnitEventsToSubscriptionsTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    UnitActionService actions;
    @Autowired
    JobStore jobs;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    EventPublicationRepository publications;
    @Autowired
    IncompleteEventPublications incomplete;

    @Test
    void aCreatedUnitGetsTheNamedPlanAndADeletedOneEndsItsSubscription() {
        String node = "bill-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("billed");
        JobView create = AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant.getId(), node, UnitKind.VM, "256M",
                "b" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), "1", "128",
                "lodge-test", null, "vm-basic"), "staff"));
        finishOk(node, create.id());

        SubscriptionView sub = await().atMost(DELIVERY).until(() -> subscriptions.byUnit(create.unitId()),
                Optional::isPresent).get();
        assertThat(sub.planCode()).isEqualTo("vm-basic");
        assertThat(sub.tenantId()).isEqualTo(tenant.getId());
        assertThat(sub.billingDay()).isEqualTo(Math.min(LocalDate.now(ZoneId.of("Europe/Rome")).getDayOfMonth(), 28));
        assertThat(sub.endedOn()).isNull();

        jdbc.sql("update unit set state = 'STOPPED' where id = :id").param("id", create.unitId()).update();
        JobView delete = AsStaff.call(() -> actions.requestAction(create.unitId(), UnitAction.DELETE, TenantScope.all(),
                "staff"));
        finishOk(node, delete.id());
        await().atMost(DELIVERY).until(() -> subscriptions.byUnit(create.unitId()).orElseThrow().endedOn() != null);
    }

    @Test
    void aUnitRequestNamingNoPlanGetsTheDefaultPlanOfItsKind() {
        String node = "bill-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("billed");
        JobView create = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "256M",
                "d" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"));
        finishOk(node, create.id());
        assertThat(await().atMost(DELIVERY).until(() -> subscriptions.byUnit(create.unitId()), Optional::isPresent)
                .get().planCode()).isEqualTo("jail-basic");
    }

    /**
     * The process dies after the publishing commit and before delivery: the registry then holds
     * the publication, incomplete, and nothing was delivered. The test leaves exactly that state
     * through Modulith's own repository (the same write the publishing transaction makes), then
     * resubmits as a restart or the redelivery job does: the subscription appears, once.
     */
    @Test
    void anEventCommittedButNeverDeliveredIsDeliveredOnResubmission() {
        TenantEntity tenant = data.tenant("crash");
        String listener = listenerOf(tenant);
        UUID unit = UUID.randomUUID();
        UnitCreated lost = new UnitCreated(unit, tenant.getId(), UnitKind.JAIL, "lost.example.com", 256L << 20, 64, 1,
                "jail-basic", Instant.now());
        tx.executeWithoutResult(status -> publications.create(
                TargetEventPublication.of(lost, PublicationTargetIdentifier.of(listener))));
        assertThat(subscriptions.byUnit(unit)).as("nothing delivered before the 'restart'").isEmpty();
        assertThat(incompleteFor(unit)).isEqualTo(1);

        incomplete.resubmitIncompletePublications(publication -> true);

        await().atMost(DELIVERY).until(() -> subscriptions.byUnit(unit).isPresent() && incompleteFor(unit) == 0);
        incomplete.resubmitIncompletePublications(publication -> true);
        assertThat(jdbc.sql("select count(*) from billing_subscription where unit_id = :u").param("u", unit)
                .query(Integer.class).single()).isEqualTo(1);
    }

    /** The listener id Modulith recorded for a UnitCreated delivered the normal way. */
    private String listenerOf(TenantEntity tenant) {
        UUID unit = UUID.randomUUID();
        tx.executeWithoutResult(status -> applicationEvents.publishEvent(new UnitCreated(unit, tenant.getId(),
                UnitKind.JAIL, "first.example.com", 256L << 20, 64, 1, null, Instant.now())));
        await().atMost(DELIVERY).until(() -> subscriptions.byUnit(unit).isPresent());
        // The subscription listener's, not metering's (both get every UnitCreated).
        return jdbc.sql("select listener_id from event_publication where serialized_event like :u"
                        + " and listener_id like '%UnitEventListener%'")
                .param("u", "%" + unit + "%").query(String.class).single();
    }

    private int incompleteFor(UUID unit) {
        return jdbc.sql("select count(*) from event_publication where completion_date is null"
                        + " and serialized_event like :u").param("u", "%" + unit + "%").query(Integer.class).single();
    }

    @Autowired
    org.springframework.context.ApplicationEventPublisher applicationEvents;

    private void finishOk(String node, UUID jobId) {
        assertThat(jobs.claim(node, "test-worker").map(claimed -> claimed.id())).contains(jobId);
        jobs.transition(jobId, JobState.RUNNING, JobState.OK, "done by the test");
    }
}
