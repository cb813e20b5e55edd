package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.invoice.InvoiceStore.LineKind;
import org.lodge.billing.metering.BackupOverage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bills one tenant for one run day, in one transaction: a draft with a line per due period of
 * each subscription (at the plan in force on the period's first day), then the credit and
 * charge of each plan change inside a billed period. The unique key on (subscription, period
 * start, kind) decides between two runs: the second one's insert waits for the first to
 * commit, then adds nothing, and its empty draft is dropped.
 */
@Component
class TenantBilling {

    private static final Logger log = LoggerFactory.getLogger(TenantBilling.class);

    private record Due(UUID id, String label, int billingDay, LocalDate from, LocalDate endedOn, UUID plan) {
    }

    private record Change(UUID fromPlan, UUID toPlan, LocalDate on) {
    }

    private record Billed(UUID planId, Period period) {
    }

    private final JdbcClient jdbc;
    private final InvoiceStore invoices;
    private final PlanStore plans;
    private final BillingProperties props;
    private final BackupOverage backups;
    private final VatTreatment vat;

    TenantBilling(JdbcClient jdbc, InvoiceStore invoices, PlanStore plans, BillingProperties props,
                  BackupOverage backups, VatTreatment vat) {
        this.jdbc = jdbc;
        this.vat = vat;
        this.backups = backups;
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
        prices.get().clear();
        names.get().clear();
        List<Due> subscriptions = jdbc.sql("""
                select s.id, s.unit_label, s.billing_day, s.ended_on, s.plan_id,
                       coalesce((select max(l.period_end) from billing_invoice_line l
                                  where l.subscription_id = s.id and l.kind = 'PERIOD'), s.started_on) as billed_to
                  from billing_subscription s
                 where s.tenant_id = :tenant and s.started_on <= :today
                 order by s.started_on, s.unit_label""")
                .param("tenant", tenantId).param("today", today)
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getString("unit_label"),
                        rs.getInt("billing_day"), rs.getObject("billed_to", LocalDate.class),
                        rs.getObject("ended_on", LocalDate.class), rs.getObject("plan_id", UUID.class)))
                .list();
        // The tenant's plan changes in one query, prices and names once per plan and day: a few
        // round trips per tenant instead of several per subscription.
        Map<UUID, List<Change>> changes = new HashMap<>();
        jdbc.sql("""
                select c.subscription_id, c.from_plan, c.to_plan, c.effective_on from billing_plan_change c
                  join billing_subscription s on s.id = c.subscription_id
                 where s.tenant_id = :tenant order by c.effective_on""")
                .param("tenant", tenantId)
                .query((rs, n) -> changes.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                        .add(new Change(rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                                rs.getObject(4, LocalDate.class))))
                .list();
        Lines lines = new Lines(tenantId);
        for (Due due : subscriptions) {
            List<Change> changed = changes.getOrDefault(due.id(), List.of());
            for (Period period : Period.due(due.from(), due.billingDay(), due.endedOn(), today)) {
                UUID plan = planAt(due, changed, period.start());
                Optional<Money> price = priceOn(plan, period.start());
                if (price.isEmpty()) {
                    log.warn("plan {} has no price on {}: {} not billed", plan, period.start(), due.label());
                    break;
                }
                lines.add(due.id(), LineKind.PERIOD, plan, period, planName(plan, period) + " · " + due.label() + " · "
                        + period.start() + " to " + period.end().minusDays(1), period.charge(price.get(), due.billingDay()));
            }
            prorateChanges(due, changed.stream().filter(c -> !c.on().isAfter(today)).toList(), lines);
        }
        for (BackupOverage.Overage over : backups.unbilled(tenantId, today, props.zone())) {
            Period period = new Period(over.start(), over.end());
            lines.add(over.subscriptionId(), LineKind.BACKUP, over.planId(), period, "Backup storage beyond the "
                    + gib(over.quotaBytes()) + " GiB quota: " + over.gibMonths().toPlainString() + " GiB-month × "
                    + backups.price().toPlainString() + " · " + over.unitLabel() + " · " + period.start() + " to "
                    + period.end().minusDays(1), over.net());
        }
        return lines.finish();
    }

    /**
     * Each plan change inside a period billed in advance: a credit of the old plan's price and a
     * charge of the new one's for the rest of that period, by day. Chained changes telescope
     * (A→B then B→C bills A, B and C each for their own days).
     */
    private void prorateChanges(Due due, List<Change> changes, Lines lines) {
        for (Change change : changes) {
            Optional<Billed> billed = jdbc.sql("""
                    select plan_id, period_start, period_end from billing_invoice_line
                     where subscription_id = :s and kind = 'PERIOD' and period_start <= :on and period_end > :on""")
                    .param("s", due.id()).param("on", change.on())
                    .query((rs, n) -> new Billed(rs.getObject(1, UUID.class),
                            new Period(rs.getObject(2, LocalDate.class), rs.getObject(3, LocalDate.class))))
                    .optional();
            // A period that starts on the change day and was billed after it is at the new plan already.
            if (billed.isEmpty() || (change.on().equals(billed.get().period().start())
                    && change.toPlan().equals(billed.get().planId()))) {
                continue;
            }
            Period rest = new Period(change.on(), billed.get().period().end());
            LocalDate priced = billed.get().period().start();
            Optional<Money> oldPrice = priceOn(change.fromPlan(), priced);
            Optional<Money> newPrice = priceOn(change.toPlan(), priced);
            if (oldPrice.isEmpty() || newPrice.isEmpty()) {
                log.warn("plan change of {} on {}: a plan has no price on {}", due.label(), change.on(), priced);
                continue;
            }
            String span = rest.start() + " to " + rest.end().minusDays(1);
            lines.add(due.id(), LineKind.CREDIT, change.fromPlan(), rest, "Credit, plan changed: "
                    + planName(change.fromPlan(), rest) + " · " + due.label() + " · " + span,
                    Money.ZERO.minus(rest.charge(oldPrice.get(), due.billingDay())));
            lines.add(due.id(), LineKind.CHARGE, change.toPlan(), rest, "Plan changed to "
                    + planName(change.toPlan(), rest) + " · " + due.label() + " · " + span,
                    rest.charge(newPrice.get(), due.billingDay()));
        }
    }

    /** The subscription's plan on a day: the latest change until then, else the plan before any change. */
    private static UUID planAt(Due due, List<Change> changes, LocalDate day) {
        UUID plan = changes.isEmpty() ? due.plan() : changes.get(0).fromPlan();
        for (Change change : changes) {
            if (!change.on().isAfter(day)) {
                plan = change.toPlan();
            }
        }
        return plan;
    }

    private record PlanDay(UUID plan, LocalDate day) {
    }

    // Per tenant transaction: plans and prices are few, and fixed for a past day.
    private final ThreadLocal<Map<PlanDay, Optional<Money>>> prices = ThreadLocal.withInitial(HashMap::new);
    private final ThreadLocal<Map<PlanDay, String>> names = ThreadLocal.withInitial(HashMap::new);

    private Optional<Money> priceOn(UUID plan, LocalDate day) {
        return prices.get().computeIfAbsent(new PlanDay(plan, day), k -> plans.priceOn(plan, day));
    }

    private static String gib(long bytes) {
        return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << 30), 2, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }

    private String planName(UUID plan, Period period) {
        return names.get().computeIfAbsent(new PlanDay(plan, period.start()),
                k -> plans.byId(plan, period.start()).map(p -> p.name()).orElse("plan"));
    }

    /** The draft of this run for one tenant, made at its first line. */
    private final class Lines {
        private final UUID tenantId;
        private VatTreatment.Vat rate;
        private UUID draft;
        private int added;

        Lines(UUID tenantId) {
            this.tenantId = tenantId;
        }

        void add(UUID subscription, LineKind kind, UUID plan, Period period, String description, Money net) {
            if (draft == null) {
                draft = invoices.draft(tenantId);
                rate = vat.forTenant(tenantId);
            }
            if (invoices.addLine(draft, subscription, kind, plan, period, description, net, rate.rate(),
                    rate.nature())) {
                added++;
            }
        }

        Optional<UUID> finish() {
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
}
