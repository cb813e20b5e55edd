package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.Money;
import org.lodge.billing.PaymentView;
import org.lodge.billing.ReceiptView;
import org.lodge.billing.ReplayConflictException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Money received (receipts) and its allocation to invoices (payments); recording either lifts
 * the suspensions it settles. A receipt's (source, reference) is unique: the same transfer or
 * provider transaction is never counted twice.
 */
@Component
public class PaymentStore {

    private final JdbcClient jdbc;
    private final Dunning dunning;
    private final Allocation allocation;

    PaymentStore(JdbcClient jdbc, Dunning dunning, Allocation allocation) {
        this.jdbc = jdbc;
        this.dunning = dunning;
        this.allocation = allocation;
    }

    /** A payment staff record for one invoice (at most what it has outstanding). */
    @Transactional
    public PaymentView record(UUID invoiceId, Money amount, LocalDate paidOn, String reference, String actor,
                              LocalDate today) {
        var invoice = jdbc.sql("select state, gross_total, tenant_id from billing_invoice where id = :id")
                .param("id", invoiceId)
                .query((rs, n) -> new Object[] {rs.getString(1), new Money(rs.getBigDecimal(2)), rs.getObject(3, UUID.class)})
                .optional().orElseThrow(() -> NotFoundException.of("invoice", invoiceId));
        allocation.lock((UUID) invoice[2]);
        if (!"ISSUED".equals(invoice[0])) {
            throw InvalidRequestException.of("invoice", "payments are for issued invoices; this one is a draft",
                    "payment.draft");
        }
        Money outstanding = ((Money) invoice[1]).minus(paid(invoiceId));
        if (amount.compareTo(Money.ZERO) <= 0 || amount.compareTo(outstanding) > 0) {
            throw InvalidRequestException.of("amount", "more than 0.00 and at most the " + outstanding + " outstanding",
                    "payment.amount", String.valueOf(outstanding));
        }
        UUID receipt = insertReceipt((UUID) invoice[2], amount, paidOn, "STAFF", reference, null, actor)
                .orElseThrow(() -> duplicate(reference));
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into billing_payment (id, invoice_id, receipt_id, amount, paid_on, reference, recorded_by)
                values (:id, :invoice, :receipt, :amount, :on, :ref, :actor)""")
                .param("id", id).param("invoice", invoiceId).param("receipt", receipt).param("amount", amount.amount())
                .param("on", paidOn).param("ref", reference).param("actor", actor).update();
        dunning.lift(today);
        return new PaymentView(id, invoiceId, amount, paidOn, reference);
    }

    /**
     * Money received for a tenant as a whole: allocated to its open invoices oldest first, the
     * rest kept as credit. A receipt whose (source, reference) is known already changes nothing
     * and answers as the first time did, unless its body differs ({@link ReplayConflictException}).
     *
     * @param bodySha256 the provider's notification body, hashed (null for staff)
     */
    @Transactional
    public ReceiptView receive(UUID tenantId, Money amount, LocalDate receivedOn, String source, String reference,
                               String bodySha256, String actor, LocalDate today) {
        allocation.lock(tenantId);
        Optional<UUID> known = jdbc.sql("select id from billing_receipt where source = :s and reference = :r")
                .param("s", source).param("r", reference).query(UUID.class).optional();
        if (known.isPresent()) {
            String sha = jdbc.sql("select body_sha256 from billing_receipt where id = :id").param("id", known.get())
                    .query((rs, n) -> rs.getString(1)).single();
            if (sha != null && !sha.equals(bodySha256)) {
                throw new ReplayConflictException(reference);
            }
            if (sha == null) {
                throw duplicate(reference);
            }
            return receipt(known.get());
        }
        UUID id = insertReceipt(tenantId, amount, receivedOn, source, reference, bodySha256, actor).orElseThrow();
        allocation.allocate(tenantId);
        dunning.lift(today);
        return receipt(id);
    }

    private Optional<UUID> insertReceipt(UUID tenantId, Money amount, LocalDate on, String source, String reference,
                                         String bodySha256, String actor) {
        UUID id = UUID.randomUUID();
        try {
            jdbc.sql("""
                    insert into billing_receipt (id, tenant_id, amount, received_on, source, reference, body_sha256, recorded_by)
                    values (:id, :t, :amount, :on, :source, :ref, :sha, :actor)""")
                    .param("id", id).param("t", tenantId).param("amount", amount.amount()).param("on", on)
                    .param("source", source).param("ref", reference).param("sha", bodySha256).param("actor", actor)
                    .update();
            return Optional.of(id);
        } catch (DuplicateKeyException e) {
            return Optional.empty();
        }
    }

    public ReceiptView receipt(UUID id) {
        List<PaymentView> allocations = jdbc.sql("""
                select p.id, p.invoice_id, p.amount, p.paid_on, p.reference from billing_payment p
                  join billing_invoice i on i.id = p.invoice_id
                 where p.receipt_id = :id order by i.due_date, i.seq""")
                .param("id", id)
                .query((rs, n) -> new PaymentView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        new Money(rs.getBigDecimal(3)), rs.getObject(4, LocalDate.class), rs.getString(5)))
                .list();
        return jdbc.sql("select * from billing_receipt where id = :id").param("id", id)
                .query((rs, n) -> {
                    Money amount = new Money(rs.getBigDecimal("amount"));
                    Money left = allocations.stream().map(PaymentView::amount).reduce(amount, Money::minus);
                    return new ReceiptView(id, rs.getObject("tenant_id", UUID.class), rs.getString("source"),
                            rs.getString("reference"), amount, rs.getObject("received_on", LocalDate.class),
                            allocations, left);
                })
                .single();
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

    private static InvalidRequestException duplicate(String reference) {
        return InvalidRequestException.of("reference", "a payment with reference '" + reference + "' is recorded already",
                "payment.duplicate", reference);
    }
}
