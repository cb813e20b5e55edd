package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.lodge.billing.ReceiptEntry;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.subscription.PlanChanges;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Money correctness of credits, on the real PostgreSQL: a credit balance pays an invoice in the
 * transaction that issues it (oldest credit first, no dunning run needed); a plan change whose
 * credit exceeds its charge leaves a negative invoice whose credit becomes balance; a credit note
 * takes what it credits off what dunning sees as owed, and what it credits beyond that is balance.
 */
@PortalOnlyTest
class CreditBalanceTest {

    @Autowired
    TestData data;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    PlanChanges changes;
    @Autowired
    TenantRun runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    PaymentStore payments;
    @Autowired
    Allocation allocation;
    @Autowired
    CreditNotes creditNotes;
    @Autowired
    Dunning dunning;
    @Autowired
    Ledger ledger;
    @Autowired
    JdbcClient jdbc;

    private String plan(String price) {
        UUID id = UUID.randomUUID();
        String code = "cb-" + id.toString().substring(0, 8);
        plans.insert(id, code, "Plan " + price, UnitKind.JAIL, 1024L << 20, 64, 1, 0, false);
        plans.price(id, LocalDate.parse("2020-01-01"), Money.of(price));
        return code;
    }

    private UUID subscribe(TenantEntity tenant, String plan, String day) {
        UUID unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, unit + ".example.com",
                plans.byCode(plan, LocalDate.parse(day)).orElseThrow().id(), LocalDate.parse(day), 1L << 30);
        return unit;
    }

    private List<InvoiceView> oldestFirst(TenantEntity tenant) {
        List<InvoiceView> all = new ArrayList<>(invoices.list(Optional.of(tenant.getId())));
        Collections.reverse(all);
        return all;
    }

    private void transfer(TenantEntity tenant, String amount, String day) {
        LocalDate on = LocalDate.parse(day);
        payments.receive(tenant.getId(), Money.of(amount), on, "STAFF", "tr-" + UUID.randomUUID(), null, "staff", on);
    }

    @Test
    void aCreditBalancePaysTheInvoiceWhenItIsIssuedOldestCreditFirst() {
        TenantEntity tenant = data.tenant("credit-first");
        subscribe(tenant, plan("10.00"), "2041-01-05");
        transfer(tenant, "5.00", "2041-01-01");
        transfer(tenant, "20.00", "2041-01-02");
        assertThat(allocation.credit(tenant.getId())).isEqualTo(Money.of("25.00"));

        runner.run(tenant.getId(), LocalDate.parse("2041-01-05"));

        InvoiceView invoice = oldestFirst(tenant).get(0);
        assertThat(invoice.gross()).isEqualTo(Money.of("12.20"));
        assertThat(payments.paid(invoice.id())).as("paid by the issue itself, no dunning run")
                .isEqualTo(Money.of("12.20"));
        assertThat(allocation.credit(tenant.getId())).isEqualTo(Money.of("12.80"));
        List<ReceiptEntry> receipts = ledger.receipts(Optional.of(tenant.getId()), 10);
        ReceiptEntry older = receipts.get(1);
        ReceiptEntry newer = receipts.get(0);
        assertThat(older.amount()).isEqualTo(Money.of("5.00"));
        assertThat(older.allocations()).singleElement().satisfies(a -> {
            assertThat(a.invoiceNumber()).isEqualTo(invoice.number());
            assertThat(a.amount()).isEqualTo(Money.of("5.00"));
        });
        assertThat(newer.allocations()).singleElement().extracting(ReceiptEntry.Allocated::amount)
                .isEqualTo(Money.of("7.20"));
        assertThat(newer.unallocated()).isEqualTo(Money.of("12.80"));
        assertThat(jdbc.sql("select count(*) from billing_mail where kind = 'INVOICE_ISSUED' and invoice_id = :id")
                .param("id", invoice.id()).query(Integer.class).single())
                .as("the issued mail is in the same transaction, and tells the outstanding at sending").isEqualTo(1);
    }

    @Test
    void aPlanChangeCreditLargerThanItsChargeBecomesBalanceAndPaysTheNextInvoice() {
        TenantEntity tenant = data.tenant("downgrade-credit");
        String dear = plan("31.00");
        String cheap = plan("10.00");
        UUID unit = subscribe(tenant, dear, "2041-03-10");
        runner.run(tenant.getId(), LocalDate.parse("2041-03-10"));
        InvoiceView march = oldestFirst(tenant).get(0);
        payments.record(march.id(), march.gross(), LocalDate.parse("2041-03-11"), "pay-" + UUID.randomUUID(),
                "staff", LocalDate.parse("2041-03-11"));

        changes.change(unit, cheap, LocalDate.parse("2041-03-20"), "staff");
        runner.run(tenant.getId(), LocalDate.parse("2041-03-20"));
        InvoiceView adjustment = oldestFirst(tenant).get(1);
        // 21 of March 10 – April 10's 31 days: -31.00 × 21/31 = -21.00, +10.00 × 21/31 = 6.77
        assertThat(adjustment.net()).isEqualTo(Money.of("-14.23"));
        assertThat(adjustment.gross()).isEqualTo(Money.of("-17.36"));
        assertThat(allocation.credit(tenant.getId())).as("the credit beyond the charge is balance")
                .isEqualTo(Money.of("17.36"));
        assertThat(ledger.receipts(Optional.of(tenant.getId()), 10)).filteredOn(r -> r.source().equals("CREDIT"))
                .singleElement().satisfies(r -> {
                    assertThat(r.reference()).isEqualTo(adjustment.number());
                    assertThat(r.amount()).isEqualTo(Money.of("17.36"));
                });
        assertThat(ledger.balances(Optional.of(tenant.getId()))).singleElement().satisfies(b -> {
            assertThat(b.outstanding()).isEqualTo(Money.ZERO);
            assertThat(b.credit()).isEqualTo(Money.of("17.36"));
        });

        runner.run(tenant.getId(), LocalDate.parse("2041-04-10"));
        InvoiceView april = oldestFirst(tenant).get(2);
        assertThat(april.gross()).isEqualTo(Money.of("12.20"));
        assertThat(payments.paid(april.id())).isEqualTo(Money.of("12.20"));
        assertThat(allocation.credit(tenant.getId())).isEqualTo(Money.of("5.16"));
        runner.run(tenant.getId(), LocalDate.parse("2041-04-10"));
        assertThat(allocation.credit(tenant.getId())).as("a repeated run credits nothing twice")
                .isEqualTo(Money.of("5.16"));
    }

    @Test
    void aPlanChangeCreditPaysAnOpenInvoiceFirst() {
        TenantEntity tenant = data.tenant("downgrade-open");
        String dear = plan("31.00");
        UUID unit = subscribe(tenant, dear, "2041-05-10");
        runner.run(tenant.getId(), LocalDate.parse("2041-05-10"));
        InvoiceView may = oldestFirst(tenant).get(0);
        changes.change(unit, plan("10.00"), LocalDate.parse("2041-05-20"), "staff");
        runner.run(tenant.getId(), LocalDate.parse("2041-05-20"));

        assertThat(payments.paid(may.id())).as("the unpaid invoice takes the credit").isEqualTo(Money.of("17.36"));
        assertThat(allocation.credit(tenant.getId())).isEqualTo(Money.ZERO);
    }

    @Test
    void aCreditNoteLowersWhatDunningSeesAsOwedAndTheRestIsBalance() {
        TenantEntity unpaid = data.tenant("note-unpaid");
        String basic = plan("5.00");
        UUID first = subscribe(unpaid, basic, "2041-06-05");
        UUID second = subscribe(unpaid, basic, "2041-06-05");
        runner.run(unpaid.getId(), LocalDate.parse("2041-06-05"));
        InvoiceView june = oldestFirst(unpaid).get(0);
        assertThat(june.gross()).isEqualTo(Money.of("12.20"));
        LocalDate lateDay = june.dueDate().plusDays(16);

        // One line of two credited: 6.10 comes off what the invoice owes; 6.10 is still overdue.
        long line = june.lines().stream().filter(l -> l.description().contains(first.toString())).findFirst()
                .orElseThrow().id();
        creditNotes.credit(june.id(), List.of(line), june.issueDate().plusDays(1));
        assertThat(payments.paid(june.id())).isEqualTo(Money.of("6.10"));
        assertThat(allocation.credit(unpaid.getId())).isEqualTo(Money.ZERO);
        assertThat(ledger.balances(Optional.of(unpaid.getId()))).singleElement()
                .extracting(org.lodge.billing.TenantBalance::outstanding).isEqualTo(Money.of("6.10"));
        // The rest credited: nothing is owed any more, so the late dunning run suspends nobody.
        creditNotes.credit(june.id(), null, june.issueDate().plusDays(2));
        assertThat(payments.paid(june.id())).isEqualTo(Money.of("12.20"));
        dunning.run(lateDay);
        assertThat(suspended(first)).isFalse();
        assertThat(suspended(second)).isFalse();

        TenantEntity paid = data.tenant("note-paid");
        subscribe(paid, basic, "2041-06-05");
        runner.run(paid.getId(), LocalDate.parse("2041-06-05"));
        InvoiceView paidJune = oldestFirst(paid).get(0);
        payments.record(paidJune.id(), paidJune.gross(), LocalDate.parse("2041-06-06"), "pay-" + UUID.randomUUID(),
                "staff", LocalDate.parse("2041-06-06"));
        creditNotes.credit(paidJune.id(), null, LocalDate.parse("2041-06-07"));
        assertThat(allocation.credit(paid.getId())).as("credited beyond what was owed: balance")
                .isEqualTo(Money.of("6.10"));
        assertThat(payments.paid(paidJune.id())).as("never paid beyond its total").isEqualTo(Money.of("6.10"));
    }

    private boolean suspended(UUID unit) {
        return jdbc.sql("select count(*) from billing_dunning d join billing_subscription s on s.id = d.subscription_id"
                + " where s.unit_id = :u").param("u", unit).query(Integer.class).single() > 0;
    }
}
