package org.lodge.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.customer.CustomerStore;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.invoice.CreditNotes;
import org.lodge.billing.invoice.FatturaPaXml;
import org.lodge.billing.invoice.InvoicePdf;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.invoice.Issuer;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/**
 * Invoices as the portal sees them: a customer's scope sees only its tenant's invoices (another
 * tenant's answers "not found", like a missing one); issuing and billing runs are staff work,
 * checked here as well as by the portal's URL rules.
 */
@Service
public class Invoices {

    private final InvoiceStore store;
    private final InvoicePdf pdf;
    private final Issuer issuer;
    private final BillingRunner runner;
    private final FatturaPaXml fatturaPa;
    private final CustomerStore customers;
    private final BillingProperties props;
    private final Clock clock;
    private final CreditNotes creditNotes;

    public Invoices(InvoiceStore store, InvoicePdf pdf, Issuer issuer, BillingRunner runner, FatturaPaXml fatturaPa,
                    CustomerStore customers, BillingProperties props, Clock billingClock, CreditNotes creditNotes) {
        this.store = store;
        this.creditNotes = creditNotes;
        this.pdf = pdf;
        this.issuer = issuer;
        this.runner = runner;
        this.fatturaPa = fatturaPa;
        this.customers = customers;
        this.props = props;
        this.clock = billingClock;
    }

    public List<InvoiceView> list(TenantScope scope) {
        return store.list(scope.tenantId());
    }

    /** The credit notes the caller may see (staff: all; customers: their tenant's), newest first like the invoices. */
    public List<InvoiceView> creditNotes(TenantScope scope) {
        return list(scope).stream().filter(InvoiceView::creditNote).toList();
    }

    public InvoiceView find(UUID id, TenantScope scope) {
        return store.find(id, scope.tenantId()).orElseThrow(() -> NotFoundException.of("invoice", id));
    }

    public byte[] pdf(UUID id, TenantScope scope) {
        InvoiceView invoice = find(id, scope);
        return pdf.render(invoice, customers.find(invoice.tenantId()).orElse(null));
    }

    /** An issued invoice of an Italian customer as FatturaPA XML (FPR12), valid against the official XSD. */
    public byte[] fatturaPa(UUID id, TenantScope scope) {
        InvoiceView invoice = find(id, scope);
        return fatturaPa.render(invoice, customers.find(invoice.tenantId()).orElse(null));
    }

    /** A file name for the invoice's PDF: its number, or "draft-…". */
    public static String fileName(InvoiceView invoice) {
        return (invoice.number() == null ? "draft-" + invoice.id()
                : (invoice.creditNote() ? "credit-note-" : "invoice-") + invoice.number().replace('/', '-'))
                + ".pdf";
    }

    @PreAuthorize("hasRole('STAFF')")
    public InvoiceView issue(UUID id) {
        issuer.issue(find(id, TenantScope.all()).id(), today());
        return find(id, TenantScope.all());
    }

    /**
     * Corrects an issued invoice with a credit note (TD04, its own gapless series) crediting the
     * named lines, or every line not credited yet when none is named; issued at once.
     */
    @PreAuthorize("hasRole('STAFF')")
    public InvoiceView creditNote(UUID invoiceId, List<Long> lineIds) {
        return find(creditNotes.credit(find(invoiceId, TenantScope.all()).id(), lineIds, today()), TenantScope.all());
    }

    /** Revenue per month of issue, the last 24 months with any, oldest first (staff). */
    @PreAuthorize("hasRole('STAFF')")
    public List<MonthRevenue> revenue() {
        return store.revenueByMonth(24);
    }

    /** Bills what is due on {@code day} (today when null); safe to repeat. */
    @PreAuthorize("hasRole('STAFF')")
    public BillingRunResult run(LocalDate day) {
        return runner.run(day == null ? today() : day);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(props.zone()));
    }
}
