package org.lodge.billing.invoice;

import static java.time.temporal.ChronoUnit.DAYS;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.lodge.billing.Money;

/**
 * A billing period {@code [start, end)}. Periods run from one billing day to the next (day 1 to
 * 28 of the month, so every month has it); a subscription that starts or ends between two
 * billing days pays that part by day.
 */
public record Period(LocalDate start, LocalDate end) {

    /** At most this many periods are billed at once for one subscription (a run missed for two years). */
    static final int MAX_CATCH_UP = 24;

    public Period {
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("a period ends after it starts: " + start + " .. " + end);
        }
    }

    /** The first billing date strictly after {@code day}. */
    static LocalDate nextBillingDate(LocalDate day, int billingDay) {
        LocalDate candidate = day.withDayOfMonth(billingDay);
        return candidate.isAfter(day) ? candidate : candidate.plusMonths(1);
    }

    /**
     * The periods of a subscription due on {@code today} (billed in advance: a period is due from
     * its first day), starting where the last billed period ended.
     */
    static List<Period> due(LocalDate from, int billingDay, LocalDate endedOn, LocalDate today) {
        List<Period> due = new ArrayList<>();
        LocalDate start = from;
        while (!start.isAfter(today) && (endedOn == null || start.isBefore(endedOn)) && due.size() < MAX_CATCH_UP) {
            LocalDate end = nextBillingDate(start, billingDay);
            if (endedOn != null && endedOn.isBefore(end)) {
                end = endedOn;
            }
            due.add(new Period(start, end));
            start = end;
        }
        return due;
    }

    /**
     * The charge for this period at a monthly price: the whole price for a whole period, else
     * the price times the days billed over the days of the whole period it is part of (the
     * month ending on the next billing date), rounded once.
     */
    Money charge(Money monthly, int billingDay) {
        LocalDate naturalEnd = nextBillingDate(start, billingDay);
        long whole = DAYS.between(naturalEnd.minusMonths(1), naturalEnd);
        long days = DAYS.between(start, end);
        return days == whole ? monthly : monthly.times(days, whole);
    }
}
