package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.billing.BillingRunResult;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Figures, not a check: a billing run over {@value #TENANTS} tenants × {@value #UNITS} units on
 * the embedded PostgreSQL (lines, totals and issuing with gapless numbers) followed by the PDF of
 * every invoice it made, rendered on all cores; then the PDF rate of one thread.
 * Run with {@code mvn test -Dtest=BillingRunBenchmark -DexcludedGroups=}.
 */
@Tag("bench")
@PortalOnlyTest
class BillingRunBenchmark {

    static final int TENANTS = 1000;
    static final int UNITS = 10;

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
    InvoicePdf pdf;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Test
    void billingRunAndPdfRate() {
        UUID plan = plans.byCode("jail-basic", LocalDate.now()).orElseThrow().id();
        LocalDate day = LocalDate.parse("2027-03-03");
        TenantEntity last = null;
        for (int t = 0; t < TENANTS; t++) {
            last = data.tenant("bench");
            for (int u = 0; u < UNITS; u++) {
                subscriptions.start(last.getId(), UUID.randomUUID(), "u" + u + ".example.com", plan, day, 1L << 30);
            }
        }
        long started = System.nanoTime();
        BillingRunResult result = runner.run(day);
        double runSeconds = (System.nanoTime() - started) / 1e9;
        assertThat(result.lines()).isGreaterThanOrEqualTo(TENANTS * UNITS);
        List<UUID> ids = jdbc.sql("select id from billing_invoice where issue_date = :day and state = 'ISSUED'")
                .param("day", day).query(UUID.class).list();
        long pdfStarted = System.nanoTime();
        List<InvoiceView> made = ids.parallelStream()
                .map(id -> invoices.find(id, Optional.empty()).orElseThrow()).toList();
        long bytes = made.parallelStream().mapToLong(i -> pdf.render(i).length).sum();
        double pdfAllSeconds = (System.nanoTime() - pdfStarted) / 1e9;
        double totalSeconds = (System.nanoTime() - started) / 1e9;

        List<InvoiceView> sample = made.stream().limit(300).toList();
        started = System.nanoTime();
        for (InvoiceView invoice : sample) {
            pdf.render(invoice);
        }
        double pdfSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BENCH billing run: %d tenants x %d units -> %d invoices, %d lines in %.2f s; "
                        + "their %d PDFs (loaded and rendered, %d KiB) on %d cores in %.2f s; run + PDFs %.2f s; "
                        + "PDF one thread: %d in %.2f s = %.0f/s%n", TENANTS, UNITS, result.invoices().size(),
                result.lines(), runSeconds, made.size(), bytes / 1024, Runtime.getRuntime().availableProcessors(),
                pdfAllSeconds, totalSeconds, sample.size(), pdfSeconds, sample.size() / pdfSeconds);
        assertThat(invoices.list(Optional.of(last.getId()))).hasSize(1);
    }
}
