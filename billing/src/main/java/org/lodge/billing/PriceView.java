package org.lodge.billing;

import java.time.LocalDate;

/** One monthly price of a plan, in force from {@code effectiveFrom} until the next one. */
public record PriceView(LocalDate effectiveFrom, Money monthlyPrice) {
}
