package org.lodge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.invoice.Dunning;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.JobState;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.job.JobStore;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * Dunning per subscription: of a tenant's two units, only the one billed on the overdue invoice
 * is suspended (marked and a stop job queued, through the event provisioning reacts to); its
 * customer cannot start it, staff can; paying lifts it and queues a start. No libvirt: the jobs
 * are checked in the queue.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class DunningTest {

    private static final Duration DELIVERY = Duration.ofSeconds(20);

    @Autowired
    MockMvc mvc;
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
    BillingRunner runner;
    @Autowired
    Dunning dunning;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    Payments payments;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;

    @Test
    void onlyTheOverdueSubscriptionsUnitIsSuspendedAndPayingLiftsIt() throws Exception {
        String node = "dun-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("dunned");
        String customer = data.customer(tenant);
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Rome"));

        UUID unpaidUnit = runningJail(tenant, node);
        runner.run(today);
        InvoiceView unpaid = invoices.list(Optional.of(tenant.getId())).get(0);
        UUID paidUnit = runningJail(tenant, node);
        runner.run(today);
        InvoiceView paid = invoices.list(Optional.of(tenant.getId())).stream()
                .filter(i -> !i.id().equals(unpaid.id())).findFirst().orElseThrow();
        assertThat(paid.lines()).singleElement().satisfies(line -> assertThat(line.subscriptionId())
                .isEqualTo(subscriptions.byUnit(paidUnit).orElseThrow().id()));
        AsStaff.run(() -> payments.record(paid.id(), paid.gross().amount().toPlainString(), null, "TRN-" + paid.id(),
                "staff"));

        LocalDate lateEnough = unpaid.dueDate().plusDays(16);
        assertThat(dunning.run(unpaid.dueDate().plusDays(15)).suspended()).as("not yet: 15 days are allowed").isZero();
        assertThat(AsStaff.call(() -> payments.overview(unpaid.dueDate().plusDays(4))))
                .filteredOn(r -> r.unitId().equals(unpaidUnit)).singleElement()
                .satisfies(r -> assertThat(r.stage() + " → " + r.nextStep() + " " + r.nextOn())
                        .isEqualTo("REMINDED → SECOND_REMINDER " + unpaid.dueDate().plusDays(10)));
        assertThat(dunning.run(lateEnough).suspended()).isEqualTo(1);
        await().atMost(DELIVERY).until(() -> "NON_PAYMENT".equals(suspendedFor(unpaidUnit)));
        assertThat(jobsOf(unpaidUnit, "STOP_JAIL")).isEqualTo(1);
        assertThat(suspendedFor(paidUnit)).isNull();
        assertThat(jobsOf(paidUnit, "STOP_JAIL")).isZero();

        dunning.run(lateEnough);
        assertThat(jobsOf(unpaidUnit, "STOP_JAIL")).as("a second run changes nothing").isEqualTo(1);
        // the worker's part, played here: the stop job ends OK, the unit is stopped
        UUID stop = jobs.claim(node, "test-worker").orElseThrow().id();
        jdbc.sql("update unit set state = 'STOPPED' where id = :id").param("id", unpaidUnit).update();
        jobs.transition(stop, JobState.RUNNING, JobState.OK, "stopped by the test");

        String customerPage = page(unpaidUnit, customer);
        assertThat(customerPage).contains("Suspended for non-payment.", "starts again by itself once the invoice is paid")
                .doesNotContain("/units/" + unpaidUnit + "/actions/start");
        assertThat(page(unpaidUnit, data.staff())).contains("Suspended for non-payment.", "staff may still start it",
                "/units/" + unpaidUnit + "/actions/start");
        assertThat(page(paidUnit, customer)).doesNotContain("id=\"suspension\"");
        assertThat(AsStaff.call(() -> payments.overview(lateEnough))).filteredOn(r -> r.unitId().equals(unpaidUnit))
                .singleElement().satisfies(r -> {
                    assertThat(r.stage()).isEqualTo("SUSPENDED");
                    assertThat(r.nextStep()).isEqualTo("TERMINATION");
                    assertThat(r.nextOn()).isEqualTo(unpaid.dueDate().plusDays(46));
                    assertThat(r.daysPastDue()).isEqualTo(16);
                });
        assertThat(AsStaff.call(() -> payments.overview(lateEnough))).noneMatch(r -> r.unitId().equals(paidUnit));
        assertThat(mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/billing/dunning")
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                                .user(users.loadUserByUsername(customer))))
                .andReturn().getResponse().getStatus()).as("staff only").isEqualTo(403);
        assertThatThrownBy(() -> asCustomer(customer, () -> actions.requestAction(unpaidUnit, UnitAction.START,
                TenantScope.of(tenant.getId()), customer)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("non-payment");
        asCustomer(customer, () -> actions.requestAction(paidUnit, UnitAction.RESTART, TenantScope.of(tenant.getId()),
                customer));
        UUID staffStart = AsStaff.call(() -> actions.requestAction(unpaidUnit, UnitAction.START, TenantScope.all(), "staff"))
                .id();
        jdbc.sql("update provisioning_job set state = 'KO' where id = :id").param("id", staffStart).update();

        AsStaff.run(() -> payments.record(unpaid.id(), unpaid.gross().amount().toPlainString(), lateEnough.toString(),
                "TRN-" + unpaid.id(), "staff"));
        await().atMost(DELIVERY).until(() -> suspendedFor(unpaidUnit) == null);
        // one start by staff while suspended (the test let it fail), one queued by the lifting
        await().atMost(DELIVERY).until(() -> jobsOf(unpaidUnit, "START_JAIL") == 2);
    }

    @Test
    void aSuspendedUnitStillUnpaidAfter45DaysIsDeletedOnceAndAudited() {
        String node = "term-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("terminated");
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Rome"));
        UUID unit = runningJail(tenant, node);
        runner.run(today);
        InvoiceView unpaid = invoices.list(Optional.of(tenant.getId())).get(0);
        UUID subscription = subscriptions.byUnit(unit).orElseThrow().id();

        // the run is for every tenant: other tests' overdue invoices count too, so this unit is checked alone
        dunning.run(unpaid.dueDate().plusDays(16));
        await().atMost(DELIVERY).until(() -> jobsOf(unit, "STOP_JAIL") == 1);
        UUID stop = jobs.claim(node, "test-worker").orElseThrow().id();
        jdbc.sql("update unit set state = 'STOPPED' where id = :id").param("id", unit).update();
        jobs.transition(stop, JobState.RUNNING, JobState.OK, "stopped by the test");

        dunning.run(unpaid.dueDate().plusDays(45));
        assertThat(terminatedOn(subscription)).as("not yet: 45 days are allowed").isEmpty();
        dunning.run(unpaid.dueDate().plusDays(46));
        assertThat(terminatedOn(subscription)).contains(unpaid.dueDate().plusDays(46));
        await().atMost(DELIVERY).until(() -> jobsOf(unit, "DELETE_JAIL") == 1);
        dunning.run(unpaid.dueDate().plusDays(47));
        assertThat(terminatedOn(subscription)).as("once").contains(unpaid.dueDate().plusDays(46));
        assertThat(jdbc.sql("select kind from audit_event where principal = 'billing' and detail like :d order by id")
                .param("d", "unit " + unit + "%").query(String.class).list())
                .containsExactly("DUNNING_SUSPENDED", "DUNNING_TERMINATED");

        // paying now settles the invoice but brings nothing back: the unit is being deleted
        AsStaff.run(() -> payments.record(unpaid.id(), unpaid.gross().amount().toPlainString(), null,
                "TRN-" + unpaid.id(), "staff"));
        assertThat(jdbc.sql("select count(*) from billing_dunning where subscription_id = :s").param("s", subscription)
                .query(Integer.class).single()).isEqualTo(1);
        // the worker's part: the delete job ends OK, UnitDeleted ends the subscription (and starts the backups' wait)
        UUID delete = jobs.claim(node, "test-worker").orElseThrow().id();
        jobs.transition(delete, JobState.RUNNING, JobState.OK, "deleted by the test");
        await().atMost(DELIVERY).until(() -> subscriptions.byUnit(unit).orElseThrow().endedOn() != null);
        assertThat(jobsOf(unit, "START_JAIL")).isZero();
    }

    @Test
    void badPaymentsAreRefusedAndChangeNothing() {
        TenantEntity tenant = data.tenant("payer");
        UUID plan = jdbc.sql("select id from billing_plan where code = 'jail-basic'").query(UUID.class).single();
        subscriptions.start(tenant.getId(), UUID.randomUUID(), "pay.example.com", plan, LocalDate.parse("2025-11-03"),
                1L << 30);
        runner.run(LocalDate.parse("2025-11-03"));
        InvoiceView invoice = invoices.list(Optional.of(tenant.getId())).get(0);
        AsStaff.run(() -> {
            assertThatThrownBy(() -> payments.record(invoice.id(), "6.11", null, "too-much", "staff"))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("6.10 EUR outstanding");
            assertThatThrownBy(() -> payments.record(invoice.id(), "-1", null, "negative", "staff"))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> payments.record(UUID.randomUUID(), "1.00", null, "nobody", "staff"))
                    .isInstanceOf(NotFoundException.class);
            payments.record(invoice.id(), "1.00", null, "once-" + invoice.id(), "staff");
            assertThatThrownBy(() -> payments.record(invoice.id(), "1.00", null, "once-" + invoice.id(), "staff"))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("recorded already");
        });
        assertThat(payments.of(invoice.id(), TenantScope.of(tenant.getId()))).singleElement()
                .satisfies(p -> assertThat(p.amount()).isEqualTo(Money.of("1.00")));
    }

    private UUID runningJail(TenantEntity tenant, String node) {
        JobView create = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "256M",
                "p" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"));
        assertThat(jobs.claim(node, "test-worker").map(claimed -> claimed.id())).contains(create.id());
        jdbc.sql("update unit set state = 'RUNNING' where id = :id").param("id", create.unitId()).update();
        jobs.transition(create.id(), JobState.RUNNING, JobState.OK, "done by the test");
        await().atMost(DELIVERY).until(() -> subscriptions.byUnit(create.unitId()).isPresent());
        return create.unitId();
    }

    /** The unit's page as that user sees it. */
    private String page(UUID unit, String username) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get("/units/" + unit)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                                .user(users.loadUserByUsername(username))))
                .andReturn().getResponse().getContentAsString();
    }

    private Optional<LocalDate> terminatedOn(UUID subscription) {
        return jdbc.sql("select terminated_on from billing_dunning where subscription_id = :s").param("s", subscription)
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, LocalDate.class))).single();
    }

    private String suspendedFor(UUID unit) {
        return jdbc.sql("select suspended_for from unit where id = :id").param("id", unit)
                .query((rs, n) -> rs.getString(1)).list().get(0);
    }

    private int jobsOf(UUID unit, String kind) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = :id and kind = :kind")
                .param("id", unit).param("kind", kind).query(Integer.class).single();
    }

    /** Runs a call as that customer, logged in as the portal logs them in (TenantBackstop checks the scope). */
    private void asCustomer(String username, Runnable call) {
        UserDetails user = users.loadUserByUsername(username);
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
        var previous = SecurityContextHolder.getContext();
        SecurityContextHolder.setContext(context);
        try {
            call.run();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}
