package org.lodge.billing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An amount in euros, always in cents: every result is rounded half-up to two decimals once,
 * after the exact computation (so {@code 10.00 × 17/31} is 5.48, not the sum of rounded parts).
 * Stored as {@code numeric(12,2)}.
 */
public record Money(BigDecimal amount) implements Comparable<Money> {

    public static final String CURRENCY = "EUR";
    public static final Money ZERO = new Money(BigDecimal.ZERO);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public Money {
        Objects.requireNonNull(amount, "amount");
        amount = amount.setScale(2, RoundingMode.HALF_UP);
    }

    /** Parses "12.5" or "12.50" (a dot, no currency sign); refuses anything else with a message. */
    public static Money parse(String text) {
        if (text == null || !text.strip().matches("-?\\d{1,10}(\\.\\d{1,2})?")) {
            throw new IllegalArgumentException("an amount in euros like 12.50 (at most two decimals)");
        }
        return new Money(new BigDecimal(text.strip()));
    }

    public static Money of(String amount) {
        return new Money(new BigDecimal(amount));
    }

    public Money plus(Money other) {
        return new Money(amount.add(other.amount));
    }

    public Money minus(Money other) {
        return new Money(amount.subtract(other.amount));
    }

    /** This amount times {@code numerator / denominator}, rounded once (proration by days). */
    public Money times(long numerator, long denominator) {
        return new Money(amount.multiply(BigDecimal.valueOf(numerator))
                .divide(BigDecimal.valueOf(denominator), 2, RoundingMode.HALF_UP));
    }

    /** The tax at {@code ratePercent} (e.g. 22.00) on this amount, rounded half-up to cents. */
    public Money percent(BigDecimal ratePercent) {
        return new Money(amount.multiply(ratePercent).divide(HUNDRED, 2, RoundingMode.HALF_UP));
    }

    public boolean isNegative() {
        return amount.signum() < 0;
    }

    @Override
    public int compareTo(Money other) {
        return amount.compareTo(other.amount);
    }

    /** "1234.50 EUR": what invoices and pages print. */
    @Override
    public String toString() {
        return amount.toPlainString() + " " + CURRENCY;
    }
}
