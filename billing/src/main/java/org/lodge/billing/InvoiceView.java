package org.lodge.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * An invoice with its lines and its totals per VAT rate. {@code docType} is FatturaPA's: TD01 an
 * invoice, TD04 a credit note, which {@code corrects} an issued invoice (number {@code correctsNumber})
 * and whose amounts are stored negative (what it takes off), printed positive under its title.
 */
public record InvoiceView(UUID id, UUID tenantId, String tenantName, InvoiceState state, String number,
                          LocalDate issueDate, LocalDate dueDate, Money net, Money vat, Money gross, List<Line> lines,
                          List<RateTotal> rates, String docType, UUID corrects, String correctsNumber) {

    public boolean creditNote() {
        return "TD04".equals(docType);
    }

    /**
     * One subscription billed for one period ({@code periodEnd} exclusive), with the VAT rate it
     * was billed at; at 0 % its FatturaPA Natura ({@code vatNature}, e.g. N2.1 for EU reverse charge).
     */
    public record Line(UUID subscriptionId, LocalDate periodStart, LocalDate periodEnd, String description,
                       Money net, BigDecimal vatRate, String vatNature, long id) {
    }

    /** The taxable amount of one VAT rate and its tax, computed on the rate's total. */
    public record RateTotal(BigDecimal vatRate, Money net, Money vat) {
    }
}
