package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bills one tenant for one run day, in one transaction: a draft with a line per due period of
 * each subscription. The unique key on (subscription, period start) decides between two runs:
 * the second one's insert waits for the first to commit, then adds nothing, and its empty draft
 * is dropped.
 */
@Component
class TenantBilling {

    private static final Logger log = LoggerFactory.getLogger(TenantBilling.class);

    private record Due(UUID id, UUID planId, String planName, String label, int billingDay, LocalDate from,
                       LocalDate endedOn) {
    }

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final PlanStore plans;
    private final BillingProperties props;

    TenantBilling(JdbcClient jdbc, InvoiceStore invoices, PlanStore plans, BillingProperties props) {
        this.jdbc = jdbc;
        this.invoices = invoices;
        this.plans = plans;
        this.props = props;
    }

    /** The tenants with a subscription that may have a period due on {@code today}. */
    List<UUID> tenantsDue(LocalDate today) {
        return jdbc.sql("select distinct tenant_id from billing_subscription where started_on <= :today")
                .param("today", today).query(UUID.class).list();
    }

    /** @return the draft made, or empty when nothing was due (or another run billed it) */
    @Transactional
    public Optional<UUID> bill(UUID tenantId, LocalDate today) {
        List<Due> subscriptions = jdbc.sql("""
                select s.id, s.plan_id, p.name as plan_name, s.unit_label, s.billing_day, s.ended_on,
                       coalesce((select max(l.period_end) from billing_invoice_line l where l.subscription_id = s.id),
                                s.started_on) as billed_to
                  from billing_subscription s join billing_plan p on p.id = s.plan_id
                 where s.tenant_id = :tenant and s.started_on <= :today
                 order by s.started_on, s.unit_label""")
                .param("tenant", tenantId).param("today", today)
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getObject("plan_id", UUID.class),
                        rs.getString("plan_name"), rs.getString("unit_label"), rs.getInt("billing_day"),
                        rs.getObject("billed_to", LocalDate.class), rs.getObject("ended_on", LocalDate.class)))
                .list();
        UUID draft = null;
        int added = 0;
        BigDecimal rate = props.vatRate();
        for (Due due : subscriptions) {
            for (Period period : Period.due(due.from(), due.billingDay(), due.endedOn(), today)) {
                Optional<Money> price = plans.priceOn(due.planId(), period.start());
                if (price.isEmpty()) {
                    log.warn("plan {} has no price on {}: {} not billed", due.planName(), period.start(), due.label());
                    break;
                }
                if (draft == null) {
                    draft = invoices.draft(tenantId);
                }
                String description = due.planName() + " · " + due.label() + " · " + period.start() + " to "
                        + period.end().minusDays(1);
                if (invoices.addLine(draft, due.id(), period, description, period.charge(price.get(), due.billingDay()),
                        rate)) {
                    added++;
                }
            }
        }
        if (draft == null) {
            return Optional.empty();
        }
        if (added == 0) {
            invoices.deleteDraft(draft);
            return Optional.empty();
        }
        invoices.storeTotals(draft, Totals.of(invoices.lines(draft)));
        return Optional.of(draft);
    }
}
