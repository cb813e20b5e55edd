package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.customer.CustomerStore;
import org.lodge.billing.invoice.TenantRun;
import org.lodge.billing.invoice.CreditNotes;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The billing pages and their API: a tenant's billing page (balance, plans and usage this month
 * from the metering ledger, invoices, payments; staff edit the billing details), staff's payments
 * page, the credit notes list. Customers see only their own tenant (another tenant's is 404 and
 * shows nothing), cannot record payments nor edit details (403, nothing changes); bad input is
 * named field by field and changes nothing.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BillingPagesTest {

    private static final long GIB = 1L << 30;

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    TenantRun runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    CreditNotes creditNotes;
    @Autowired
    CustomerStore customers;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    Clock billingClock;
    @Autowired
    BillingProperties props;

    TenantEntity tenant;
    TenantEntity other;
    UserDetails staff;
    UserDetails customer;
    UserDetails stranger;
    UUID unit;
    InvoiceView invoice;

    @BeforeEach
    void aTenantWithAUnitMeteredThisMonthAndAnInvoice() {
        tenant = data.tenant("acct");
        other = data.tenant("acct-other");
        staff = users.loadUserByUsername(data.staff());
        customer = users.loadUserByUsername(data.customer(tenant));
        stranger = users.loadUserByUsername(data.customer(other));
        UUID plan = UUID.randomUUID();
        String code = "acct-" + plan.toString().substring(0, 8);
        plans.insert(plan, code, "Account plan", UnitKind.JAIL, GIB, 64, 1, GIB, false);
        plans.price(plan, LocalDate.parse("2020-01-01"), Money.of("10.00"));
        LocalDate today = LocalDate.now(billingClock.withZone(props.zone()));
        // An issued invoice of 2042 (a year of its own), billed before the metered unit exists.
        UUID billed = UUID.randomUUID();
        subscriptions.start(tenant.getId(), billed, "billed.example.com", plan, LocalDate.parse("2042-02-03"), GIB);
        runner.run(tenant.getId(), LocalDate.parse("2042-02-03"));
        invoice = invoices.list(Optional.of(tenant.getId())).stream().filter(i -> i.number() != null).findFirst()
                .orElseThrow();
        unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, "acct.example.com", plan, today.withDayOfMonth(1), GIB);
        // Ten hours of this month in the ledger (as the hourly job writes it): 1001 GiB of backups, 1 GiB quota.
        var monthStart = today.withDayOfMonth(1).atStartOfDay(props.zone()).toInstant();
        for (int h = 0; h < 10; h++) {
            jdbc.sql("""
                    insert into billing_usage_hour (unit_id, tenant_id, hour, disk_bytes, memory_mib, vcpus, suspended,
                                                    backup_bytes)
                    values (:u, :t, :hour, :disk, 64, 1, :suspended, :backup)""")
                    .param("u", unit).param("t", tenant.getId())
                    .param("hour", java.sql.Timestamp.from(monthStart.plus(Duration.ofHours(h))))
                    .param("disk", GIB).param("suspended", h < 2).param("backup", 1001 * GIB).update();
        }
    }

    private String page(MockHttpServletRequestBuilder request, UserDetails who) throws Exception {
        return mvc.perform(request.with(user(who))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
    }

    private int receipts(TenantEntity t) {
        return jdbc.sql("select count(*) from billing_receipt where tenant_id = :t").param("t", t.getId())
                .query(Integer.class).single();
    }

    @Test
    void aCustomerSeesTheirPlanUsageThisMonthInvoicesAndBalance() throws Exception {
        mvc.perform(get("/billing/account").with(user(customer)))
                .andExpect(status().is3xxRedirection())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers
                        .redirectedUrl("/billing/customers/" + tenant.getId()));
        String own = page(get("/billing/customers/" + tenant.getId()), customer);

        LocalDate today = LocalDate.now(billingClock.withZone(props.zone()));
        LocalDate start = today.withDayOfMonth(1);
        BigDecimal monthHours = BigDecimal.valueOf(Duration.between(start.atStartOfDay(props.zone()),
                start.plusMonths(1).atStartOfDay(props.zone())).toHours());
        // 10 hours × 1000 GiB beyond the quota, over the month's hours, at 0.10 EUR per GiB-month; plus the whole month's plan.
        BigDecimal over = BigDecimal.valueOf(10_000).divide(monthHours, MathContext.DECIMAL64);
        Money expected = Money.of("10.00").plus(new Money(over.multiply(new BigDecimal("0.10"))
                .setScale(2, RoundingMode.HALF_UP)));
        assertThat(own).contains("acct.example.com", "data-unit=\"" + unit + "\"", "data-hours=\"10\"",
                "data-total=\"" + expected.amount() + "\"", over.setScale(3, RoundingMode.HALF_UP).toPlainString(),
                invoice.number(), "/billing/invoices/" + invoice.id() + "/pdf",
                "/billing/invoices/" + invoice.id() + "/fatturapa", "data-outstanding=\"12.20\"")
                .doesNotContain("details-form", "transfer-form");

        String json = mvc.perform(get("/api/billing/usage").with(httpBasic(customer.getUsername(), TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(json).contains("\"hours\":10", "\"suspendedHours\":2", unit.toString());
        String account = mvc.perform(get("/api/billing/customers/" + tenant.getId() + "/account")
                        .with(httpBasic(customer.getUsername(), TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(account).containsPattern("\"outstanding\":(\\{\"amount\":)?12\\.20");
    }

    @Test
    void anotherTenantsCustomerSeesNothingAndChangesNothing() throws Exception {
        mvc.perform(get("/billing/customers/" + tenant.getId()).with(user(stranger))).andExpect(status().isNotFound());
        String own = page(get("/billing/customers/" + other.getId()), stranger);
        assertThat(own).doesNotContain("acct.example.com", invoice.number());
        for (String path : new String[] {"/usage", "/receipts", "/account", "/balance"}) {
            mvc.perform(get("/api/billing/customers/" + tenant.getId() + path)
                            .with(httpBasic(stranger.getUsername(), TestData.PASSWORD)))
                    .andExpect(status().isNotFound());
        }
        assertThat(mvc.perform(get("/api/billing/usage").with(httpBasic(stranger.getUsername(), TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).isEqualTo("[]");
        assertThat(page(get("/billing/credit-notes"), stranger)).doesNotContain(tenant.getName());

        // Customers, even of the tenant, neither record payments nor edit billing details: 403, nothing written.
        for (UserDetails who : new UserDetails[] {customer, stranger}) {
            mvc.perform(post("/billing/payments").with(user(who)).with(csrf()).param("tenantId", tenant.getId().toString())
                    .param("amount", "5.00").param("reference", "x-" + UUID.randomUUID())).andExpect(status().isForbidden());
            mvc.perform(post("/billing/customers/" + tenant.getId() + "/payments").with(user(who)).with(csrf())
                    .param("amount", "5.00").param("reference", "x-" + UUID.randomUUID())).andExpect(status().isForbidden());
            mvc.perform(post("/billing/customers/" + tenant.getId() + "/details").with(user(who)).with(csrf())
                    .param("legalName", "Hijack").param("country", "DE").param("address", "x").param("postcode", "10115")
                    .param("city", "Berlin")).andExpect(status().isForbidden());
            mvc.perform(get("/billing/payments").with(user(who))).andExpect(status().isForbidden());
            mvc.perform(get("/billing/customers").with(user(who))).andExpect(status().isForbidden());
            mvc.perform(get("/api/billing/balances").with(httpBasic(who.getUsername(), TestData.PASSWORD)))
                    .andExpect(status().isForbidden());
        }
        assertThat(receipts(tenant)).isZero();
        assertThat(customers.find(tenant.getId())).isEmpty();
    }

    @Test
    void staffEditBillingDetailsAndBadFieldsAreNamedAndNothingIsSaved() throws Exception {
        String form = page(get("/billing/customers/" + tenant.getId()), staff);
        assertThat(form).contains("details-form", "transfer-form");

        String refused = mvc.perform(post("/billing/customers/" + tenant.getId() + "/details").with(user(staff))
                        .with(csrf()).locale(Locale.ITALIAN).param("legalName", "Rossi Srl").param("country", "IT")
                        .param("vatNumber", "IT123").param("address", "Via Roma 1").param("postcode", "0018")
                        .param("city", "Roma").param("province", "RM").param("sdiCode", "ABC1234"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("data-field=\"vatNumber\"", "data-field=\"postcode\"", "Partita IVA", "CAP",
                "value=\"Rossi Srl\"", "cinque cifre").doesNotContain("data-field=\"city\"").doesNotContain("five digits");
        assertThat(customers.find(tenant.getId())).as("nothing saved").isEmpty();

        mvc.perform(post("/billing/customers/" + tenant.getId() + "/details").with(user(staff)).with(csrf())
                        .param("legalName", "Rossi Srl").param("country", "IT").param("vatNumber", "01234567890")
                        .param("address", "Via Roma 1").param("postcode", "00184").param("city", "Roma")
                        .param("province", "rm").param("sdiCode", "abc1234").param("billingEmail", "conti@rossi.it"))
                .andExpect(status().is3xxRedirection()).andExpect(flash().attribute("message", "Billing details saved."));
        CustomerDetails saved = customers.find(tenant.getId()).orElseThrow();
        assertThat(saved.vatNumber()).isEqualTo("01234567890");
        assertThat(saved.province()).isEqualTo("RM");
        assertThat(page(get("/billing/customers/" + tenant.getId()), customer))
                .as("the customer reads them").contains("Rossi Srl", "ABC1234");
    }

    @Test
    void staffRecordTransfersAndBadOnesAreRefusedWithoutARecord() throws Exception {
        String ref = "bank-" + UUID.randomUUID();
        mvc.perform(post("/billing/payments").with(user(staff)).with(csrf()).param("tenantId", tenant.getId().toString())
                        .param("amount", "15.00").param("paidOn", "2042-02-10").param("reference", ref))
                .andExpect(status().is3xxRedirection()).andExpect(flash().attributeExists("message"));
        String payments = page(get("/billing/payments"), staff);
        assertThat(payments).contains("data-reference=\"" + ref + "\"", invoice.number() + ": 12.20", "2.80",
                tenant.getName());
        assertThat(page(get("/billing/customers/" + tenant.getId()), customer))
                .contains("data-reference=\"" + ref + "\"", "data-credit=\"2.80\"", "data-outstanding=\"0.00\"");

        Map<String, String[]> bad = Map.of(
                "amount", new String[] {tenant.getId().toString(), "", "-5.00"},
                "tenant", new String[] {UUID.randomUUID().toString(), "", "5.00"},
                "invoice", new String[] {tenant.getId().toString(), "2042/999999", "5.00"});
        for (var c : bad.entrySet()) {
            mvc.perform(post("/billing/payments").with(user(staff)).with(csrf()).param("tenantId", c.getValue()[0])
                            .param("invoice", c.getValue()[1]).param("amount", c.getValue()[2])
                            .param("reference", "bad-" + UUID.randomUUID()))
                    .andExpect(status().is3xxRedirection())
                    .andExpect(flash().attribute("paymentErrors", org.hamcrest.Matchers.hasKey(c.getKey())));
        }
        mvc.perform(post("/billing/customers/" + tenant.getId() + "/payments").with(user(staff)).with(csrf())
                        .param("invoice", invoice.number()).param("amount", "1.00").param("reference", ref + "-2"))
                .andExpect(flash().attribute("paymentErrors", org.hamcrest.Matchers.hasKey("amount")));
        assertThat(receipts(tenant)).as("only the good transfer").isEqualTo(1);
        String refusal = mvc.perform(post("/billing/payments").with(user(staff)).with(csrf())
                        .param("tenantId", UUID.randomUUID().toString()).param("amount", "5.00").param("reference", "r"))
                .andReturn().getFlashMap().get("paymentErrors").toString();
        assertThat(refusal).contains("There is no such tenant.");
    }

    @Test
    void creditNotesAreListedForStaffAndTheirTenantOnly() throws Exception {
        UUID note = creditNotes.credit(invoice.id(), null, LocalDate.parse("2042-02-04"));
        String number = invoices.find(note, Optional.empty()).orElseThrow().number();
        assertThat(page(get("/billing/credit-notes"), staff)).contains("data-number=\"" + number + "\"", invoice.number());
        assertThat(page(get("/billing/credit-notes"), customer)).contains("data-number=\"" + number + "\"");
        assertThat(page(get("/billing/credit-notes"), stranger)).doesNotContain(number);
        assertThat(mvc.perform(get("/api/billing/credit-notes").with(httpBasic(customer.getUsername(), TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).contains(number);
        // The note settled the unpaid invoice: nothing outstanding, and the page says where the money went.
        assertThat(page(get("/billing/customers/" + tenant.getId()), customer))
                .contains("data-outstanding=\"0.00\"", "data-source=\"NOTE\"");
    }

    @Test
    void staffReachEveryBillingPageFromTheNavigation() throws Exception {
        String home = page(get("/billing/customers"), staff);
        assertThat(home).contains("href=\"/billing/account\"", "href=\"/billing/payments\"", "href=\"/billing/plans\"",
                "href=\"/billing/dunning\"", "href=\"/billing/credit-notes\"", "href=\"/billing/invoices\"",
                "data-tenant=\"" + tenant.getId() + "\"");
        for (String path : new String[] {"/billing/plans", "/billing/invoices", "/billing/dunning", "/billing/payments",
                "/billing/credit-notes"}) {
            page(get(path), staff);
        }
        assertThat(page(get("/billing/customers"), staff).contains("Pagamenti")).isFalse();
        assertThat(page(get("/billing/payments"), staff)).as("apostrophes as written, with and without arguments")
                .containsPattern("the tenant('|&#39;)s open invoices").doesNotContain("''", "&#39;&#39;");
        assertThat(page(get("/billing/customers/" + tenant.getId()), customer)).containsPattern("at today('|&#39;)s prices");
        assertThat(mvc.perform(get("/billing/payments").with(user(staff)).locale(Locale.ITALIAN))
                .andReturn().getResponse().getContentAsString()).contains("Registra un bonifico");
    }
}
