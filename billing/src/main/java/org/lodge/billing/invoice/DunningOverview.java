package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.DunningProperties;
import org.lodge.billing.DunningRow;
import org.lodge.billing.Money;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Staff's view of dunning: every open or terminated subscription billed on an issued invoice
 * still unpaid after its due date (its oldest one), with the stage reached and the next step's
 * day, from the same thresholds the dunning run uses.
 */
@Component
public class DunningOverview {

    private final JdbcClient jdbc;
    private final BillingProperties props;
    private final DunningProperties steps;

    DunningOverview(JdbcClient jdbc, BillingProperties props, DunningProperties steps) {
        this.jdbc = jdbc;
        this.props = props;
        this.steps = steps;
    }

    public List<DunningRow> rows(LocalDate today) {
        return jdbc.sql("""
                select distinct on (s.id) s.tenant_id, t.name as tenant_name, s.unit_id, s.unit_label, i.number,
                       i.due_date, i.gross_total - coalesce((select sum(p.amount) from billing_payment p
                                                              where p.invoice_id = i.id), 0) as outstanding,
                       d.subscription_id is not null as suspended, d.terminated_on
                  from billing_invoice i
                  join billing_invoice_line l on l.invoice_id = i.id
                  join billing_subscription s on s.id = l.subscription_id
                  left join tenant t on t.id = s.tenant_id
                  left join billing_dunning d on d.subscription_id = s.id
                 where i.state = 'ISSUED' and i.gross_total > 0 and i.due_date < :today
                   and coalesce((select sum(p.amount) from billing_payment p where p.invoice_id = i.id), 0) < i.gross_total
                   and (s.ended_on is null or d.terminated_on is not null)
                 order by s.id, i.due_date""")
                .param("today", today)
                .query((rs, n) -> row(today, rs.getObject("tenant_id", UUID.class), rs.getString("tenant_name"),
                        rs.getObject("unit_id", UUID.class), rs.getString("unit_label"), rs.getString("number"),
                        rs.getObject("due_date", LocalDate.class), new Money(rs.getBigDecimal("outstanding")),
                        rs.getBoolean("suspended"), rs.getObject("terminated_on", LocalDate.class)))
                .list().stream()
                .sorted(java.util.Comparator.comparing(DunningRow::daysPastDue).reversed())
                .toList();
    }

    private DunningRow row(LocalDate today, UUID tenant, String tenantName, UUID unit, String label, String number,
                           LocalDate due, Money outstanding, boolean suspended, LocalDate terminatedOn) {
        long days = ChronoUnit.DAYS.between(due, today);
        String stage;
        String next;
        LocalDate on;
        if (terminatedOn != null) {
            stage = "TERMINATED";
            next = null;
            on = null;
        } else if (suspended) {
            stage = "SUSPENDED";
            next = "TERMINATION";
            on = due.plusDays(steps.terminateAfterDays() + 1L);
        } else if (days >= steps.secondReminderDays()) {
            stage = "REMINDED_TWICE";
            next = "SUSPENSION";
            on = due.plusDays(props.suspendAfterDays() + 1L);
        } else if (days >= steps.firstReminderDays()) {
            stage = "REMINDED";
            next = "SECOND_REMINDER";
            on = due.plusDays(steps.secondReminderDays());
        } else {
            stage = "OVERDUE";
            next = "FIRST_REMINDER";
            on = due.plusDays(steps.firstReminderDays());
        }
        return new DunningRow(tenant, tenantName, unit, label, number, due, outstanding, days, stage, next, on);
    }
}
