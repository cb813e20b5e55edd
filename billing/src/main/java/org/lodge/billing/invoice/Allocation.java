package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.Money;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Allocates a tenant's receipts to its open invoices, oldest due first: each piece is a
 * {@code billing_payment} row (receipt, invoice, amount). What no open invoice takes is the
 * tenant's credit balance, consumed by the invoices issued next (the dunning run, after each
 * billing run, allocates it). One tenant's allocations run one at a time (an advisory lock held
 * to the end of the transaction), so two receipts never pay the same euro twice.
 */
@Component
public class Allocation {

    private static final Logger log = LoggerFactory.getLogger(Allocation.class);

    private record Open(UUID id, BigDecimal left, LocalDate paidOn, String reference, String by) {
    }

    private final JdbcClient jdbc;

    Allocation(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Waits for the tenant's other allocations and payments to commit. */
    void lock(UUID tenantId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('billing-tenant:' || :t, 0))")
                .param("t", tenantId.toString()).query((rs, n) -> 1).list();
    }

    /** @return how much was allocated now */
    @Transactional
    public Money allocate(UUID tenantId) {
        lock(tenantId);
        List<Open> receipts = jdbc.sql("""
                select r.id, r.amount - coalesce((select sum(p.amount) from billing_payment p where p.receipt_id = r.id), 0),
                       r.received_on, r.reference, r.recorded_by
                  from billing_receipt r where r.tenant_id = :t
                 order by r.received_on, r.created_at""")
                .param("t", tenantId).query(this::open).list()
                .stream().filter(r -> r.left().signum() > 0).toList();
        if (receipts.isEmpty()) {
            return Money.ZERO;
        }
        List<Open> invoices = jdbc.sql("""
                select i.id, i.gross_total - coalesce((select sum(p.amount) from billing_payment p where p.invoice_id = i.id), 0),
                       i.due_date, i.number, ''
                  from billing_invoice i where i.tenant_id = :t and i.state = 'ISSUED' and i.gross_total > 0
                 order by i.due_date, i.issue_date, i.seq""")
                .param("t", tenantId).query(this::open).list()
                .stream().filter(i -> i.left().signum() > 0).toList();
        BigDecimal total = BigDecimal.ZERO;
        int r = 0;
        BigDecimal receiptLeft = receipts.isEmpty() ? BigDecimal.ZERO : receipts.get(0).left();
        for (Open invoice : invoices) {
            BigDecimal invoiceLeft = invoice.left();
            while (invoiceLeft.signum() > 0 && r < receipts.size()) {
                Open receipt = receipts.get(r);
                BigDecimal piece = invoiceLeft.min(receiptLeft);
                jdbc.sql("""
                        insert into billing_payment (id, invoice_id, receipt_id, amount, paid_on, reference, recorded_by)
                        values (:id, :invoice, :receipt, :amount, :on, :ref, :by)
                        on conflict (receipt_id, invoice_id) do update set amount = billing_payment.amount + excluded.amount""")
                        .param("id", UUID.randomUUID()).param("invoice", invoice.id()).param("receipt", receipt.id())
                        .param("amount", piece).param("on", receipt.paidOn()).param("ref", receipt.reference())
                        .param("by", receipt.by()).update();
                log.info("receipt {} pays {} EUR of invoice {}", receipt.reference(), piece, invoice.reference());
                total = total.add(piece);
                invoiceLeft = invoiceLeft.subtract(piece);
                receiptLeft = receiptLeft.subtract(piece);
                if (receiptLeft.signum() == 0 && ++r < receipts.size()) {
                    receiptLeft = receipts.get(r).left();
                }
            }
        }
        return new Money(total);
    }

    /** Allocates the credit of every tenant that has some; how many tenants had. */
    @Transactional
    public int allocateAll() {
        List<UUID> tenants = jdbc.sql("""
                select distinct r.tenant_id from billing_receipt r
                 where r.amount > coalesce((select sum(p.amount) from billing_payment p where p.receipt_id = r.id), 0)""")
                .query(UUID.class).list();
        tenants.forEach(this::allocate);
        return tenants.size();
    }

    /** The tenant's money received and not (yet) allocated to an invoice. */
    public Money credit(UUID tenantId) {
        return new Money(jdbc.sql("""
                select coalesce(sum(r.amount), 0)
                       - coalesce((select sum(p.amount) from billing_payment p join billing_receipt x on x.id = p.receipt_id
                                    where x.tenant_id = :t), 0)
                  from billing_receipt r where r.tenant_id = :t""")
                .param("t", tenantId).query(BigDecimal.class).single());
    }

    private Open open(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Open(rs.getObject(1, UUID.class), rs.getBigDecimal(2), rs.getObject(3, LocalDate.class),
                rs.getString(4), rs.getString(5));
    }
}
