package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.Money;
import org.lodge.billing.PaymentView;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Payments against issued invoices; recording one lifts the suspensions it settles. */
@Component
public class PaymentStore {

    private final JdbcClient jdbc;
    private final Dunning dunning;

    PaymentStore(JdbcClient jdbc, Dunning dunning) {
        this.jdbc = jdbc;
        this.dunning = dunning;
    }

    @Transactional
    public PaymentView record(UUID invoiceId, Money amount, LocalDate paidOn, String reference, String actor,
                              LocalDate today) {
        var invoice = jdbc.sql("select state, gross_total from billing_invoice where id = :id for update")
                .param("id", invoiceId).query((rs, n) -> new Object[] {rs.getString(1), new Money(rs.getBigDecimal(2))})
                .optional().orElseThrow(() -> new NotFoundException("invoice " + invoiceId));
        if (!"ISSUED".equals(invoice[0])) {
            throw InvalidRequestException.of("invoice", "payments are for issued invoices; this one is a draft");
        }
        Money outstanding = ((Money) invoice[1]).minus(paid(invoiceId));
        if (amount.compareTo(Money.ZERO) <= 0 || amount.compareTo(outstanding) > 0) {
            throw InvalidRequestException.of("amount", "more than 0.00 and at most the " + outstanding + " outstanding");
        }
        UUID id = UUID.randomUUID();
        try {
            jdbc.sql("""
                    insert into billing_payment (id, invoice_id, amount, paid_on, reference, recorded_by)
                    values (:id, :invoice, :amount, :on, :ref, :actor)""")
                    .param("id", id).param("invoice", invoiceId).param("amount", amount.amount()).param("on", paidOn)
                    .param("ref", reference).param("actor", actor).update();
        } catch (DuplicateKeyException e) {
            throw InvalidRequestException.of("reference", "a payment with reference '" + reference + "' is recorded already");
        }
        dunning.lift(today);
        return new PaymentView(id, invoiceId, amount, paidOn, reference);
    }

    public Money paid(UUID invoiceId) {
        return new Money(jdbc.sql("select coalesce(sum(amount), 0) from billing_payment where invoice_id = :id")
                .param("id", invoiceId).query(java.math.BigDecimal.class).single());
    }

    public List<PaymentView> of(UUID invoiceId) {
        return jdbc.sql("select * from billing_payment where invoice_id = :id order by paid_on, created_at")
                .param("id", invoiceId)
                .query((rs, n) -> new PaymentView(rs.getObject("id", UUID.class), invoiceId,
                        new Money(rs.getBigDecimal("amount")), rs.getObject("paid_on", LocalDate.class),
                        rs.getString("reference")))
                .list();
    }
}
