package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Credits the tenant is owed become money on its account, in the transaction that issues the
 * document: a negative invoice (plan-change credits larger than the charges they offset) and a
 * credit note each become a receipt (source {@code CREDIT} or {@code NOTE}, reference the
 * document's number, so once each). A credit note's receipt first pays the invoice it corrects,
 * up to what that invoice still owes, so dunning stops counting the credited part; the rest, like
 * a negative invoice's credit, is balance that {@link Allocation} gives to open invoices oldest first.
 */
@Component
class Credits {

    private static final Logger log = LoggerFactory.getLogger(Credits.class);

    private record Issued(UUID tenantId, String number, BigDecimal gross, LocalDate issueDate, UUID corrects) {
    }

    private final JdbcClient jdbc;

    Credits(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** After issuing an invoice or credit note: a negative total becomes a receipt of the tenant's (caller holds the tenant's lock). */
    void issued(UUID documentId) {
        Issued doc = jdbc.sql("""
                select tenant_id, number, gross_total, issue_date, corrects from billing_invoice
                 where id = :id and state = 'ISSUED'""")
                .param("id", documentId)
                .query((rs, n) -> new Issued(rs.getObject(1, UUID.class), rs.getString(2), rs.getBigDecimal(3),
                        rs.getObject(4, LocalDate.class), rs.getObject(5, UUID.class)))
                .single();
        if (doc.gross().signum() >= 0) {
            return;
        }
        BigDecimal credit = doc.gross().negate();
        UUID receipt = UUID.randomUUID();
        int made = jdbc.sql("""
                insert into billing_receipt (id, tenant_id, amount, received_on, source, reference, recorded_by)
                values (:id, :t, :amount, :on, :source, :ref, 'billing') on conflict (source, reference) do nothing""")
                .param("id", receipt).param("t", doc.tenantId()).param("amount", credit).param("on", doc.issueDate())
                .param("source", doc.corrects() == null ? "CREDIT" : "NOTE").param("ref", doc.number()).update();
        if (made == 0 || doc.corrects() == null) {
            log.info("{} leaves {} EUR credit to tenant {}", doc.number(), credit, doc.tenantId());
            return;
        }
        BigDecimal owed = jdbc.sql("""
                select i.gross_total - coalesce((select sum(p.amount) from billing_payment p where p.invoice_id = i.id), 0)
                  from billing_invoice i where i.id = :id""")
                .param("id", doc.corrects()).query(BigDecimal.class).single();
        BigDecimal piece = owed.min(credit);
        if (piece.signum() > 0) {
            jdbc.sql("""
                    insert into billing_payment (id, invoice_id, receipt_id, amount, paid_on, reference, recorded_by)
                    values (:id, :invoice, :receipt, :amount, :on, :ref, 'billing')""")
                    .param("id", UUID.randomUUID()).param("invoice", doc.corrects()).param("receipt", receipt)
                    .param("amount", piece).param("on", doc.issueDate()).param("ref", doc.number()).update();
        }
        log.info("credit note {}: {} EUR off what its invoice owes, {} EUR credit", doc.number(), piece,
                credit.subtract(piece.max(BigDecimal.ZERO)));
    }
}
