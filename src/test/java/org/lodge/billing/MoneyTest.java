package org.lodge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void roundsHalfUpToCents() {
        assertThat(Money.of("0.005")).isEqualTo(Money.of("0.01"));
        assertThat(Money.of("0.0049")).isEqualTo(Money.of("0.00"));
        assertThat(Money.of("-0.005")).isEqualTo(Money.of("-0.01"));
        assertThat(Money.of("2.675").amount()).isEqualByComparingTo("2.68");
        assertThat(Money.of("7").toString()).isEqualTo("7.00 EUR");
    }

    @Test
    void prorationRoundsOnceAfterTheExactProduct() {
        // 10.00 × 17 / 31 = 5.4838… → 5.48
        assertThat(Money.of("10.00").times(17, 31)).isEqualTo(Money.of("5.48"));
        // 9.99 × 1 / 30 = 0.333 → 0.33; three such days are 1.00 computed at once, not 0.99
        assertThat(Money.of("9.99").times(1, 30)).isEqualTo(Money.of("0.33"));
        assertThat(Money.of("9.99").times(3, 30)).isEqualTo(Money.of("1.00"));
    }

    @Test
    void vatIsRoundedHalfUp() {
        assertThat(Money.of("10.25").percent(new BigDecimal("22"))).isEqualTo(Money.of("2.26")); // 2.255
        assertThat(Money.of("0.02").percent(new BigDecimal("22.00"))).isEqualTo(Money.of("0.00")); // 0.0044
        assertThat(Money.of("100").percent(new BigDecimal("4"))).isEqualTo(Money.of("4.00"));
    }

    @Test
    void parsesEurosAndRefusesEverythingElse() {
        assertThat(Money.parse(" 12.5 ")).isEqualTo(Money.of("12.50"));
        for (String bad : new String[] {"12,50", "1.234", "€5", "", "abc", "1e3"}) {
            assertThatThrownBy(() -> Money.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Money.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
