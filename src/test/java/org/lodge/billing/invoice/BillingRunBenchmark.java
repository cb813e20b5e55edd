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
 * the embedded PostgreSQL (lines, totals and issuing with gapless numbers), then the PDF rate.
 * Run with {@code mvn test -Dtest=BillingRunBenchmark -DexcludedGroups=}.
 */
@Tag("bench")
@PortalOnlyTest
class BillingRunBenchmark {

    static final int TENANTS = 200;
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

        List<InvoiceView> sample = invoices.list(Optional.empty()).stream().limit(200).toList();
        started = System.nanoTime();
        for (InvoiceView invoice : sample) {
            pdf.render(invoice);
        }
        double pdfSeconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("BENCH billing run: %d tenants x %d units -> %d invoices, %d lines in %.2f s; "
                        + "PDF: %d in %.2f s = %.0f/s%n", TENANTS, UNITS, result.invoices().size(), result.lines(),
                runSeconds, sample.size(), pdfSeconds, sample.size() / pdfSeconds);
        assertThat(invoices.list(Optional.of(last.getId()))).hasSize(1);
    }
}
