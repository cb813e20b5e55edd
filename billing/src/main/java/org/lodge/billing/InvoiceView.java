package org.lodge.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** An invoice with its lines and its totals per VAT rate. */
public record InvoiceView(UUID id, UUID tenantId, String tenantName, InvoiceState state, String number,
                          LocalDate issueDate, LocalDate dueDate, Money net, Money vat, Money gross, List<Line> lines,
                          List<RateTotal> rates) {

    /** One subscription billed for one period ({@code periodEnd} exclusive), with the VAT rate it was billed at. */
    public record Line(UUID subscriptionId, LocalDate periodStart, LocalDate periodEnd, String description,
                       Money net, BigDecimal vatRate) {
    }

    /** The taxable amount of one VAT rate and its tax, computed on the rate's total. */
    public record RateTotal(BigDecimal vatRate, Money net, Money vat) {
    }
}
