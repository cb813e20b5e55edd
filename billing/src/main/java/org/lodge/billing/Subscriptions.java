package org.lodge.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.metering.MonthUsage;
import org.lodge.billing.subscription.PlanChanges;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Which plan each unit is on: staff see every tenant's subscriptions, customers their own; staff change plans. */
@Service
public class Subscriptions {

    private final SubscriptionStore store;
    private final PlanChanges changes;
    private final BillingProperties props;
    private final Clock clock;
    private final MonthUsage usage;

    public Subscriptions(SubscriptionStore store, PlanChanges changes, BillingProperties props, Clock billingClock,
                         MonthUsage usage) {
        this.usage = usage;
        this.store = store;
        this.changes = changes;
        this.props = props;
        this.clock = billingClock;
    }

    public List<SubscriptionView> list(TenantScope scope) {
        return store.list(scope.tenantId());
    }

    public SubscriptionView ofUnit(UUID unitId, TenantScope scope) {
        return store.byUnit(unitId).filter(s -> scope.allows(s.tenantId()))
                .orElseThrow(() -> NotFoundException.of("subscription", unitId));
    }

    /** Usage of the running month so far, per unit, and what the month would come to (staff: every tenant's). */
    public List<UsageView> usage(TenantScope scope) {
        return usage.of(scope.tenantId(), today(), props.zone());
    }

    /** One tenant's usage this month (staff, or the tenant's customers; another tenant answers "not found"). */
    public List<UsageView> usageOf(UUID tenantId, TenantScope scope) {
        if (!scope.allows(tenantId)) {
            throw NotFoundException.of("tenant", tenantId);
        }
        return usage.of(java.util.Optional.of(tenantId), today(), props.zone());
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(props.zone()));
    }

    /**
     * Upgrade or downgrade from today: the next billing run credits the old plan's price and
     * charges the new one's for the rest of the period already billed, by day.
     */
    @PreAuthorize("hasRole('STAFF')")
    public SubscriptionView changePlan(UUID unitId, String planCode, String actor) {
        changes.change(unitId, planCode, today(), actor);
        return ofUnit(unitId, TenantScope.all());
    }
}
