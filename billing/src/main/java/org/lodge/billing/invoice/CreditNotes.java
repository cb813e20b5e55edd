package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * A correction of an issued invoice is a credit note (FatturaPA TD04): a document of its own,
 * issued at once with a gapless number in its own series ({@code NC/2026/000001}), that credits
 * some or all lines of the invoice (each line at most once: {@code credits_line} is unique). Its
 * amounts are stored negative, so totals over all issued documents are revenue, and nothing
 * ever counts it as owed; the invoice itself never changes.
 */
@Component
public class CreditNotes {

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final FiscalNumbers numbers;
    private final BillingProperties props;
    private final Allocation allocation;
    private final Credits credits;

    CreditNotes(JdbcClient jdbc, InvoiceStore invoices, FiscalNumbers numbers, BillingProperties props,
                Allocation allocation, Credits credits) {
        this.jdbc = jdbc;
        this.allocation = allocation;
        this.credits = credits;
        this.invoices = invoices;
        this.numbers = numbers;
        this.props = props;
    }

    /** The series of credit notes: the invoices' series with "NC" (the counter is per series and year). */
    String series() {
        return props.series() + "NC";
    }

    /**
     * Credits the given lines of an issued invoice (all its lines not credited yet when none is
     * named) with a new, issued credit note.
     *
     * @return the credit note's id
     */
    @Transactional
    public UUID credit(UUID invoiceId, List<Long> lineIds, LocalDate day) {
        record Original(UUID tenantId, String state, String docType, String number) {
        }
        // The tenant's lock before the invoice's row: an allocation paying this invoice takes them in that order.
        allocation.lock(jdbc.sql("select tenant_id from billing_invoice where id = :id").param("id", invoiceId)
                .query(UUID.class).optional().orElseThrow(() -> NotFoundException.of("invoice", invoiceId)));
        Original original = jdbc.sql("select tenant_id, state, doc_type, number from billing_invoice where id = :id"
                        + " for update").param("id", invoiceId)
                .query((rs, n) -> new Original(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4)))
                .optional().orElseThrow(() -> NotFoundException.of("invoice", invoiceId));
        if (!original.state().equals("ISSUED") || !original.docType().equals("TD01")) {
            throw InvalidRequestException.of("invoice", "only an issued invoice (not a draft, not a credit note)"
                    + " can be corrected by a credit note", "credit-note.not-issued");
        }
        List<InvoiceView.Line> all = invoices.lines(invoiceId);
        if (lineIds != null && !lineIds.isEmpty()) {
            List<Long> unknown = lineIds.stream().filter(id -> all.stream().noneMatch(l -> l.id() == id)).toList();
            if (!unknown.isEmpty()) {
                throw InvalidRequestException.of("lines", "lines " + unknown + " are not lines of invoice "
                        + original.number(), "credit-note.unknown-lines", String.valueOf(unknown), original.number());
            }
        }
        List<Long> credited = jdbc.sql("select credits_line from billing_invoice_line where credits_line in"
                        + " (select id from billing_invoice_line where invoice_id = :id)")
                .param("id", invoiceId).query(Long.class).list();
        List<InvoiceView.Line> toCredit = all.stream()
                .filter(l -> lineIds == null || lineIds.isEmpty() || lineIds.contains(l.id()))
                .filter(l -> !credited.contains(l.id())).toList();
        if (toCredit.isEmpty()) {
            throw InvalidRequestException.of("lines", "those lines of invoice " + original.number()
                    + " are credited already", "credit-note.credited", original.number());
        }
        UUID note = UUID.randomUUID();
        jdbc.sql("insert into billing_invoice (id, tenant_id, state, doc_type, corrects)"
                        + " values (:id, :tenant, 'DRAFT', 'TD04', :corrects)")
                .param("id", note).param("tenant", original.tenantId()).param("corrects", invoiceId).update();
        for (InvoiceView.Line line : toCredit) {
            jdbc.sql("""
                    insert into billing_invoice_line (invoice_id, subscription_id, kind, plan_id, period_start, period_end,
                                                      description, net_amount, vat_rate, vat_nature, credits_line)
                    select :note, subscription_id, 'CREDITED', plan_id, period_start, period_end, :description,
                           -net_amount, vat_rate, vat_nature, id
                      from billing_invoice_line where id = :line""")
                    .param("note", note).param("description", "Credit of " + original.number() + ": "
                            + line.description())
                    .param("line", line.id()).update();
        }
        invoices.storeTotals(note, Totals.of(invoices.lines(note)));
        int year = day.getYear();
        int seq = numbers.next(series(), year);
        jdbc.sql("""
                update billing_invoice set state = 'ISSUED', series = :series, fiscal_year = :year, seq = :seq,
                       number = :number, issue_date = :day, issued_at = now()
                 where id = :id""")
                .param("series", series()).param("year", year).param("seq", seq)
                .param("number", "NC/%d/%06d".formatted(year, seq)).param("day", day).param("id", note).update();
        // What the note credits comes off what the invoice owes; the rest is the tenant's credit balance.
        credits.issued(note);
        allocation.allocate(original.tenantId());
        return note;
    }

    static Money shown(Money stored, boolean creditNote) {
        return creditNote ? Money.ZERO.minus(stored) : stored;
    }
}
