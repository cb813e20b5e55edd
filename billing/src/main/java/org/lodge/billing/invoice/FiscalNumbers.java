package org.lodge.billing.invoice;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Gapless fiscal numbers: a counter row per series and year, taken with an UPDATE in the issuing
 * transaction. The row stays locked until that transaction ends, so concurrent issues wait in
 * line; a rollback gives the number back. (A sequence would be faster and leave gaps.)
 */
@Component
class FiscalNumbers {

    private final JdbcClient jdbc;

    FiscalNumbers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    int next(String series, int year) {
        jdbc.sql("insert into billing_invoice_counter (series, fiscal_year, last_number) values (:s, :y, 0)"
                        + " on conflict do nothing")
                .param("s", series).param("y", year).update();
        return jdbc.sql("update billing_invoice_counter set last_number = last_number + 1"
                        + " where series = :s and fiscal_year = :y returning last_number")
                .param("s", series).param("y", year).query(Integer.class).single();
    }
}
