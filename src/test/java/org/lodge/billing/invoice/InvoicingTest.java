package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.lodge.billing.InvoiceState;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Billing runs, fiscal numbering, immutability and the PDF, on the real PostgreSQL. */
@PortalOnlyTest
class InvoicingTest {

    @Autowired
    TestData data;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    Issuer issuer;
    @Autowired
    InvoicePdf pdf;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;

    /** A plan at 10.00 a month since 2020. */
    private UUID plan() {
        UUID id = UUID.randomUUID();
        plans.insert(id, "t-" + id.toString().substring(0, 8), "Test plan", UnitKind.JAIL, 1L << 30, 64, 1, 0, false);
        plans.price(id, LocalDate.parse("2020-01-01"), Money.of("10.00"));
        return id;
    }

    private UUID subscribe(TenantEntity tenant, UUID plan, String startedOn) {
        UUID unit = UUID.randomUUID();
        subscriptions.start(tenant.getId(), unit, unit.toString().substring(0, 8) + ".example.com", plan,
                LocalDate.parse(startedOn), 1L << 30);
        return subscriptions.byUnit(unit).orElseThrow().id();
    }

    private List<InvoiceView> invoicesOf(TenantEntity tenant) {
        return invoices.list(Optional.of(tenant.getId()));
    }

    @Test
    void aRepeatedRunBillsEachPeriodOnce() {
        TenantEntity tenant = data.tenant("run-twice");
        subscribe(tenant, plan(), "2025-01-10");
        runner.run(LocalDate.parse("2025-01-10"));
        runner.run(LocalDate.parse("2025-01-10"));
        runner.run(LocalDate.parse("2025-02-09"));
        List<InvoiceView> first = invoicesOf(tenant);
        assertThat(first).hasSize(1);
        InvoiceView invoice = first.get(0);
        assertThat(invoice.state()).isEqualTo(InvoiceState.ISSUED);
        assertThat(invoice.number()).matches("2025/\\d{6}");
        assertThat(invoice.issueDate()).isEqualTo(LocalDate.parse("2025-01-10"));
        assertThat(invoice.dueDate()).isEqualTo(LocalDate.parse("2025-01-25"));
        assertThat(invoice.lines()).singleElement().satisfies(line -> {
            assertThat(line.periodStart()).isEqualTo(LocalDate.parse("2025-01-10"));
            assertThat(line.periodEnd()).isEqualTo(LocalDate.parse("2025-02-10"));
            assertThat(line.net()).isEqualTo(Money.of("10.00"));
            assertThat(line.vatRate()).isEqualByComparingTo("22.00");
        });
        assertThat(invoice.net()).isEqualTo(Money.of("10.00"));
        assertThat(invoice.vat()).isEqualTo(Money.of("2.20"));
        assertThat(invoice.gross()).isEqualTo(Money.of("12.20"));

        runner.run(LocalDate.parse("2025-02-10"));
        runner.run(LocalDate.parse("2025-02-10"));
        assertThat(invoicesOf(tenant)).hasSize(2);
    }

    @Test
    void twoRunsAtOnceBillOnce() throws Exception {
        TenantEntity tenant = data.tenant("run-concurrent");
        UUID plan = plan();
        for (int i = 0; i < 5; i++) {
            subscribe(tenant, plan, "2025-03-05");
        }
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(threads.submit((Callable<Void>) () -> {
                    start.await(10, TimeUnit.SECONDS);
                    runner.run(LocalDate.parse("2025-03-05"));
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        List<InvoiceView> billed = invoicesOf(tenant);
        assertThat(billed).hasSize(1);
        assertThat(billed.get(0).lines()).hasSize(5);
        assertThat(billed.get(0).gross()).isEqualTo(Money.of("61.00"));
        assertThat(jdbc.sql("select count(*) from billing_invoice where tenant_id = :t").param("t", tenant.getId())
                .query(Integer.class).single()).as("no empty draft left behind").isEqualTo(1);
    }

    /** 40 drafts of one tenant, each with one line (one subscription, 40 periods). */
    private List<UUID> drafts(int count) {
        TenantEntity tenant = data.tenant("numbering");
        UUID subscription = subscribe(tenant, plan(), "2020-01-01");
        List<UUID> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            LocalDate start = LocalDate.parse("2020-01-01").plusMonths(i);
            drafts.add(tx.execute(status -> {
                UUID draft = invoices.draft(tenant.getId());
                invoices.addLine(draft, subscription, InvoiceStore.LineKind.PERIOD, null, new Period(start, start.plusMonths(1)), "month", Money.of("1.00"),
                        new java.math.BigDecimal("22.00"));
                return draft;
            }));
        }
        return drafts;
    }

    @Test
    void concurrentIssuingGivesConsecutiveNumbersWithoutGapsOrDuplicates() throws Exception {
        List<UUID> drafts = drafts(40);
        LocalDate day = LocalDate.parse("2031-03-01");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CyclicBarrier start = new CyclicBarrier(2);
        List<String> numbers = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> issuing = new ArrayList<>();
            for (List<UUID> half : List.of(drafts.subList(0, 20), drafts.subList(20, 40))) {
                issuing.add(threads.submit((Callable<Void>) () -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (UUID draft : half) {
                        numbers.add(issuer.issue(draft, day));
                    }
                    return null;
                }));
            }
            for (Future<?> f : issuing) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            expected.add("2031/%06d".formatted(i));
        }
        assertThat(numbers).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void aRolledBackIssueLeavesNoGap() {
        List<UUID> drafts = drafts(2);
        LocalDate day = LocalDate.parse("2032-06-30");
        tx.executeWithoutResult(status -> {
            assertThat(issuer.issue(drafts.get(0), day)).isEqualTo("2032/000001");
            status.setRollbackOnly();
        });
        assertThat(issuer.issue(drafts.get(1), day)).isEqualTo("2032/000001");
        assertThat(issuer.issue(drafts.get(0), day)).isEqualTo("2032/000002");
        assertThatThrownBy(() -> issuer.issue(drafts.get(0), day)).hasMessageContaining("issued already");
    }

    @Test
    void anIssuedInvoiceCannotChange() {
        TenantEntity tenant = data.tenant("immutable");
        subscribe(tenant, plan(), "2025-05-01");
        runner.run(LocalDate.parse("2025-05-01"));
        UUID id = invoicesOf(tenant).get(0).id();
        assertThatThrownBy(() -> jdbc.sql("update billing_invoice set gross_total = 0 where id = :id").param("id", id)
                .update()).isInstanceOf(DataAccessException.class).hasMessageContaining("cannot change");
        assertThatThrownBy(() -> jdbc.sql("delete from billing_invoice_line where invoice_id = :id").param("id", id)
                .update()).isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> jdbc.sql("update billing_invoice_line set net_amount = 0 where invoice_id = :id")
                .param("id", id).update()).isInstanceOf(DataAccessException.class);
        assertThat(invoicesOf(tenant).get(0).gross()).isEqualTo(Money.of("12.20"));
    }

    @Test
    void thePdfOpensAndShowsNumberLinesVatAndTotal() throws Exception {
        TenantEntity tenant = data.tenant("pdf");
        UUID plan = plan();
        subscribe(tenant, plan, "2025-07-15");
        subscribe(tenant, plan, "2025-07-15");
        runner.run(LocalDate.parse("2025-07-15"));
        InvoiceView invoice = invoicesOf(tenant).get(0);
        byte[] bytes = pdf.render(invoice);
        try (PDDocument doc = Loader.loadPDF(bytes)) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Invoice " + invoice.number(), tenant.getName(), "Test plan", "2025-07-15",
                    "22.00", "20.00", "4.40", "24.40 EUR", "Total due");
            assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Invoice " + invoice.number());
        }
    }
}
