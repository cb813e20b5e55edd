package org.lodge.billing.invoice;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.InvoiceState;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The invoice and line tables (billing's own). Issued rows are also guarded by triggers (V12). */
@Component
public class InvoiceStore {

    private static final String SELECT = """
            select i.*, t.name as tenant_name, c.number as corrects_number
              from billing_invoice i left join tenant t on t.id = i.tenant_id
              left join billing_invoice c on c.id = i.corrects
            """;

    private final JdbcClient jdbc;

    public InvoiceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID draft(UUID tenantId) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into billing_invoice (id, tenant_id, state) values (:id, :tenant, 'DRAFT')")
                .param("id", id).param("tenant", tenantId).update();
        return id;
    }

    /**
     * What a line bills: a period of the plan, the credit or charge of a plan change within a
     * billed period, backup storage beyond the quota in an ended period, or (on a credit note)
     * one credited line of an issued invoice.
     */
    enum LineKind { PERIOD, CREDIT, CHARGE, BACKUP, CREDITED }

    /** Adds a line unless that subscription's period (or change) is billed already (by this run or another). */
    boolean addLine(UUID invoiceId, UUID subscriptionId, LineKind kind, UUID planId, Period period,
                    String description, Money net, java.math.BigDecimal vatRate) {
        return addLine(invoiceId, subscriptionId, kind, planId, period, description, net, vatRate, null);
    }

    /** The same, with the FatturaPA Natura of a 0 % line (EU reverse charge). */
    boolean addLine(UUID invoiceId, UUID subscriptionId, LineKind kind, UUID planId, Period period,
                    String description, Money net, java.math.BigDecimal vatRate, String vatNature) {
        return jdbc.sql("""
                insert into billing_invoice_line (invoice_id, subscription_id, kind, plan_id, period_start, period_end,
                                                  description, net_amount, vat_rate, vat_nature)
                values (:invoice, :sub, :kind, :plan, :start, :end, :description, :net, :rate, :nature)
                on conflict (subscription_id, period_start, kind) where kind <> 'CREDITED' do nothing""")
                .param("invoice", invoiceId).param("sub", subscriptionId).param("kind", kind.name())
                .param("plan", planId).param("start", period.start())
                .param("end", period.end()).param("description", description).param("net", net.amount())
                .param("rate", vatRate).param("nature", vatNature).update() == 1;
    }

    void deleteDraft(UUID invoiceId) {
        jdbc.sql("delete from billing_invoice where id = :id and state = 'DRAFT'").param("id", invoiceId).update();
    }

    void storeTotals(UUID invoiceId, Totals totals) {
        jdbc.sql("update billing_invoice set net_total = :net, vat_total = :vat, gross_total = :gross where id = :id")
                .param("net", totals.net().amount()).param("vat", totals.vat().amount())
                .param("gross", totals.gross().amount()).param("id", invoiceId).update();
    }

    public Optional<InvoiceView> find(UUID id, Optional<UUID> tenant) {
        return jdbc.sql(SELECT + " where i.id = :id and (cast(:tenant as uuid) is null or i.tenant_id = :tenant)")
                .param("id", id).param("tenant", tenant.orElse(null)).query(this::view).optional();
    }

    public List<InvoiceView> list(Optional<UUID> tenant) {
        return jdbc.sql(SELECT + " where (cast(:tenant as uuid) is null or i.tenant_id = :tenant)"
                        + " order by i.created_at desc, i.number desc limit 500")
                .param("tenant", tenant.orElse(null)).query(this::view).list();
    }

    List<InvoiceView.Line> lines(UUID invoiceId) {
        return jdbc.sql("select * from billing_invoice_line where invoice_id = :id order by period_start, id")
                .param("id", invoiceId)
                .query((rs, n) -> new InvoiceView.Line(rs.getObject("subscription_id", UUID.class),
                        rs.getObject("period_start", LocalDate.class), rs.getObject("period_end", LocalDate.class),
                        rs.getString("description"), new Money(rs.getBigDecimal("net_amount")),
                        rs.getBigDecimal("vat_rate"), rs.getString("vat_nature"), rs.getLong("id")))
                .list();
    }

    /** Issued documents per month of issue, the last {@code months} months that have any, oldest first. */
    public List<org.lodge.billing.MonthRevenue> revenueByMonth(int months) {
        return jdbc.sql("""
                select * from (
                    select to_char(issue_date, 'YYYY-MM') as month, sum(net_total) as net, sum(gross_total) as gross,
                           count(*) filter (where doc_type = 'TD01') as invoices,
                           count(*) filter (where doc_type = 'TD04') as credit_notes
                      from billing_invoice where state = 'ISSUED'
                     group by 1 order by 1 desc limit :months) m
                 order by month""")
                .param("months", months)
                .query((rs, n) -> new org.lodge.billing.MonthRevenue(rs.getString("month"),
                        new Money(rs.getBigDecimal("net")), new Money(rs.getBigDecimal("gross")), rs.getInt("invoices"),
                        rs.getInt("credit_notes")))
                .list();
    }

    private InvoiceView view(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        List<InvoiceView.Line> lines = lines(id);
        return new InvoiceView(id, rs.getObject("tenant_id", UUID.class), rs.getString("tenant_name"),
                InvoiceState.valueOf(rs.getString("state")), rs.getString("number"),
                rs.getObject("issue_date", LocalDate.class), rs.getObject("due_date", LocalDate.class),
                new Money(rs.getBigDecimal("net_total")), new Money(rs.getBigDecimal("vat_total")),
                new Money(rs.getBigDecimal("gross_total")), lines, Totals.of(lines).rates(), rs.getString("doc_type"),
                rs.getObject("corrects", UUID.class), rs.getString("corrects_number"));
    }
}
