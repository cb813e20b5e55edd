package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.Money;
import org.lodge.billing.ReceiptEntry;
import org.lodge.billing.TenantBalance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads the tenants' accounts: receipts with their allocations, and each tenant's balance. */
@Component
public class Ledger {

    private final JdbcClient jdbc;

    Ledger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Receipts, newest first (at most {@code limit}); every tenant's when {@code tenant} is empty. */
    public List<ReceiptEntry> receipts(Optional<UUID> tenant, int limit) {
        Map<UUID, ReceiptEntry> receipts = new LinkedHashMap<>();
        jdbc.sql("""
                select r.*, t.name as tenant_name from billing_receipt r join tenant t on t.id = r.tenant_id
                 where cast(:tenant as uuid) is null or r.tenant_id = cast(:tenant as uuid)
                 order by r.received_on desc, r.created_at desc limit :limit""")
                .param("tenant", tenant.orElse(null)).param("limit", limit)
                .query((rs, n) -> new ReceiptEntry(rs.getObject("id", UUID.class), rs.getObject("tenant_id", UUID.class),
                        rs.getString("tenant_name"), rs.getString("source"), rs.getString("reference"),
                        new Money(rs.getBigDecimal("amount")), rs.getObject("received_on", LocalDate.class),
                        rs.getString("recorded_by"), new ArrayList<>(), new Money(rs.getBigDecimal("amount"))))
                .list().forEach(r -> receipts.put(r.id(), r));
        if (receipts.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<ReceiptEntry.Allocated>> pieces = new LinkedHashMap<>();
        jdbc.sql("""
                select p.receipt_id, p.invoice_id, i.number, p.amount from billing_payment p
                  join billing_invoice i on i.id = p.invoice_id
                 where p.receipt_id in (:ids) order by i.due_date, i.seq""")
                .param("ids", receipts.keySet())
                .query(rs -> {
                    pieces.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new ReceiptEntry.Allocated(rs.getObject(2, UUID.class), rs.getString(3),
                                    new Money(rs.getBigDecimal(4))));
                });
        return receipts.values().stream().map(r -> {
            List<ReceiptEntry.Allocated> paid = pieces.getOrDefault(r.id(), List.of());
            Money left = paid.stream().map(ReceiptEntry.Allocated::amount).reduce(r.amount(), Money::minus);
            return new ReceiptEntry(r.id(), r.tenantId(), r.tenantName(), r.source(), r.reference(), r.amount(),
                    r.receivedOn(), r.recordedBy(), List.copyOf(paid), left);
        }).toList();
    }

    /** Every tenant's (or one tenant's) outstanding and credit, by tenant name. */
    public List<TenantBalance> balances(Optional<UUID> tenant) {
        return jdbc.sql("""
                select t.id, t.name,
                       coalesce((select sum(i.gross_total - coalesce((select sum(p.amount) from billing_payment p
                                                                       where p.invoice_id = i.id), 0))
                                   from billing_invoice i
                                  where i.tenant_id = t.id and i.state = 'ISSUED' and i.gross_total > 0), 0) as outstanding,
                       coalesce((select sum(r.amount) from billing_receipt r where r.tenant_id = t.id), 0)
                       - coalesce((select sum(p.amount) from billing_payment p join billing_receipt r on r.id = p.receipt_id
                                    where r.tenant_id = t.id), 0) as credit
                  from tenant t
                 where cast(:tenant as uuid) is null or t.id = cast(:tenant as uuid)
                 order by t.name""")
                .param("tenant", tenant.orElse(null))
                .query((rs, n) -> new TenantBalance(rs.getObject(1, UUID.class), rs.getString(2),
                        new Money(rs.getBigDecimal(3)), new Money(rs.getBigDecimal(4))))
                .list();
    }
}
