package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Payments;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.TenantScope;
import org.lodge.provisioning.UnitAction;
import org.lodge.provisioning.UnitActionService;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.AsStaff;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The dunning timeline on a real jail, days passed to the runs as dates: 16 days past due the
 * jail is really stopped (libvirt) and its customer cannot start it; paid, it runs again and
 * answers HTTP; a second invoice left unpaid suspends it again and 46 days past due it is
 * deleted (its libvirt domain is gone). The worker does the jobs. Address .85. Only this test's
 * tenant is billed (not a whole billing run), so the other live tests' units, which share this
 * context, are never overdue.
 */
@LiveNodeTest
class DunningOnJailTest {

    private static final String IP = "10.231.77.85";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Autowired
    TestRestTemplate rest;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TenantBilling billing;
    @Autowired
    Issuer issuer;
    @Autowired
    Dunning dunning;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    Payments payments;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    UnitService units;
    @Autowired
    UnitActionService actions;
    @Autowired
    UserDetailsService users;
    @Autowired
    ServiceProbe probe;

    @Test
    void anUnpaidJailIsStoppedRunsAgainWhenPaidAndIsDeletedWhenLeftUnpaid() throws Exception {
        long started = System.nanoTime();
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        TenantEntity tenant = data.tenant("dunned-live");
        String customer = data.customer(tenant);
        String domain = "dun-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        UUID unit = UUID.fromString(api.awaitOk(api.createJail(tenant.getName(), "64M", domain, IP)).path("unitId").asText());
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = :id").param("id", unit)
                .query(String.class).single();
        assertThat(active(libvirtName)).contains(true);
        await().atMost(PATIENCE).until(() -> subscriptions.byUnit(unit).isPresent());

        LocalDate today = LocalDate.now(java.time.ZoneId.of("Europe/Rome"));
        InvoiceView first = issued(tenant, today);

        dunning.run(first.dueDate().plusDays(16));
        api.awaitOk(await().atMost(PATIENCE).until(() -> lastJob(unit, "STOP_JAIL"), Optional::isPresent).get());
        assertThat(active(libvirtName)).as("really stopped").contains(false);
        assertThatThrownBy(() -> asCustomer(customer, () -> actions.requestAction(unit, UnitAction.START,
                TenantScope.of(tenant.getId()), customer)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("non-payment");

        AsStaff.run(() -> payments.record(first.id(), first.gross().amount().toPlainString(), null,
                "TRN-" + first.id(), "staff"));
        api.awaitOk(await().atMost(PATIENCE).until(() -> lastJob(unit, "START_JAIL"), Optional::isPresent).get());
        assertThat(active(libvirtName)).contains(true);
        assertThat(probe.awaitPage(IP, domain, "/", Duration.ofSeconds(20)).status()).as("answers HTTP").isPositive();

        InvoiceView second = issued(tenant, today.plusMonths(2));
        dunning.run(second.dueDate().plusDays(16));
        await().atMost(PATIENCE).until(() -> count(unit, "STOP_JAIL") == 2);
        api.awaitOk(lastJob(unit, "STOP_JAIL").orElseThrow());
        assertThat(active(libvirtName)).contains(false);
        dunning.run(second.dueDate().plusDays(46));
        api.awaitOk(await().atMost(PATIENCE).until(() -> lastJob(unit, "DELETE_JAIL"), Optional::isPresent).get());
        assertThat(active(libvirtName)).as("the domain is gone").isEmpty();
        await().atMost(PATIENCE).until(() -> subscriptions.byUnit(unit).orElseThrow().endedOn() != null);
        System.out.printf("dunning timeline on a real jail: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** The tenant's periods due on that day, billed and issued. */
    private InvoiceView issued(TenantEntity tenant, LocalDate day) {
        UUID draft = billing.bill(tenant.getId(), day).orElseThrow();
        issuer.issue(draft, day);
        return invoices.find(draft, Optional.empty()).orElseThrow();
    }

    /** Whether the jail's libvirt domain runs; empty when it does not exist. */
    private static Optional<Boolean> active(String name) throws LibvirtException {
        Connect conn = new Connect("lxc:///system", true);
        try {
            return Optional.of(conn.domainLookupByName(name).isActive() == 1);
        } catch (LibvirtException e) {
            return Optional.empty();
        } finally {
            conn.close();
        }
    }

    private Optional<String> lastJob(UUID unit, String kind) {
        return jdbc.sql("select id::text from provisioning_job where unit_id = :u and kind = :k order by created_at desc limit 1")
                .param("u", unit).param("k", kind).query(String.class).optional();
    }

    private int count(UUID unit, String kind) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = :k")
                .param("u", unit).param("k", kind).query(Integer.class).single();
    }

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
