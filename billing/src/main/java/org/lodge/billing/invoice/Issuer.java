package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns a draft into an issued invoice: its fiscal number, issue and due dates, and the tenant's
 * credit balance applied to it (oldest credit first), all in one transaction.
 */
@Component
public class Issuer {

    private final JdbcClient jdbc;
    private final FiscalNumbers numbers;
    private final BillingProperties props;
    private final Allocation allocation;
    private final Credits credits;

    Issuer(JdbcClient jdbc, FiscalNumbers numbers, BillingProperties props, Allocation allocation, Credits credits) {
        this.jdbc = jdbc;
        this.allocation = allocation;
        this.credits = credits;
        this.numbers = numbers;
        this.props = props;
    }

    /** @return the number given, like {@code 2026/000123} */
    @Transactional
    public String issue(UUID invoiceId, LocalDate day) {
        // The tenant's lock before the invoice's row and the counter: allocations take them in this order too.
        UUID tenant = jdbc.sql("select tenant_id from billing_invoice where id = :id").param("id", invoiceId)
                .query(UUID.class).optional().orElseThrow(() -> NotFoundException.of("invoice", invoiceId));
        allocation.lock(tenant);
        String state = jdbc.sql("select state from billing_invoice where id = :id for update").param("id", invoiceId)
                .query(String.class).optional().orElseThrow(() -> NotFoundException.of("invoice", invoiceId));
        if (!state.equals("DRAFT")) {
            throw InvalidRequestException.of("state", "the invoice is issued already; an issued invoice never changes",
                    "invoice.issued");
        }
        if (jdbc.sql("select count(*) from billing_invoice_line where invoice_id = :id").param("id", invoiceId)
                .query(Integer.class).single() == 0) {
            throw InvalidRequestException.of("lines", "an invoice without lines cannot be issued", "invoice.no-lines");
        }
        int year = day.getYear();
        int seq = numbers.next(props.series(), year);
        String number = "%d/%06d".formatted(year, seq);
        jdbc.sql("""
                update billing_invoice set state = 'ISSUED', series = :series, fiscal_year = :year, seq = :seq,
                       number = :number, issue_date = :day, due_date = :due, issued_at = now()
                 where id = :id""")
                .param("series", props.series()).param("year", year).param("seq", seq).param("number", number)
                .param("day", day).param("due", day.plusDays(props.paymentDays())).param("id", invoiceId).update();
        // In the issuing transaction: a negative total becomes credit, and credit pays open invoices, oldest first.
        credits.issued(invoiceId);
        allocation.allocate(tenant);
        return number;
    }
}
