package org.lodge.billing.invoice;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.lodge.billing.Money;

class PeriodTest {

    @ParameterizedTest(name = "{0} .. {1} on day {2} at 10.00 → {3}")
    @CsvSource({
            "2026-01-10, 2026-02-10, 10, 10.00",  // a whole period
            "2026-02-10, 2026-03-10, 10, 10.00",  // February is a whole period too
            "2026-01-10, 2026-01-27, 10, 5.48",   // ended after 17 of 31 days
            "2026-02-10, 2026-02-24, 10, 5.00",   // 14 of 28 days
            "2024-02-10, 2024-02-24, 10, 4.83",   // leap year: 14 of 29 days
            "2026-01-31, 2026-02-28, 28, 9.03",   // started on the 31st: billing day 28, 28 of 31 days
            "2026-03-10, 2026-03-11, 10, 0.32",   // one day of 31
            "2026-04-10, 2026-04-11, 10, 0.33",   // one day of 30
    })
    void chargesWholePeriodsInFullAndPartsByDay(String start, String end, int day, String charge) {
        assertThat(new Period(LocalDate.parse(start), LocalDate.parse(end)).charge(Money.of("10.00"), day))
                .isEqualTo(Money.of(charge));
    }

    @Test
    void duePeriodsRunFromBillingDayToBillingDayInAdvance() {
        LocalDate start = LocalDate.parse("2026-01-31");
        assertThat(Period.due(start, 28, null, LocalDate.parse("2026-01-31")))
                .containsExactly(new Period(start, LocalDate.parse("2026-02-28")));
        assertThat(Period.due(LocalDate.parse("2026-02-28"), 28, null, LocalDate.parse("2026-02-27"))).isEmpty();
        // a run missed for two months catches up, each period on its own line
        assertThat(Period.due(LocalDate.parse("2026-01-10"), 10, null, LocalDate.parse("2026-03-10")))
                .containsExactly(new Period(LocalDate.parse("2026-01-10"), LocalDate.parse("2026-02-10")),
                        new Period(LocalDate.parse("2026-02-10"), LocalDate.parse("2026-03-10")),
                        new Period(LocalDate.parse("2026-03-10"), LocalDate.parse("2026-04-10")));
    }

    @Test
    void anEndedSubscriptionIsBilledUpToItsEndOnly() {
        List<Period> due = Period.due(LocalDate.parse("2026-01-10"), 10, LocalDate.parse("2026-01-20"),
                LocalDate.parse("2026-05-01"));
        assertThat(due).containsExactly(new Period(LocalDate.parse("2026-01-10"), LocalDate.parse("2026-01-20")));
        assertThat(Period.due(LocalDate.parse("2026-01-20"), 10, LocalDate.parse("2026-01-20"),
                LocalDate.parse("2026-05-01"))).isEmpty();
    }
}
