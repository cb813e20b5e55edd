package org.lodge.billing.subscription;

import java.time.LocalDate;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.Catalog;
import org.lodge.billing.PlanView;
import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.UnitResized;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Keeps subscriptions in step with provisioning's unit events. Each handler runs after the
 * publishing commit in its own transaction; Modulith marks the publication complete only when
 * it commits, so a failure (or a process killed before delivery) leaves the event to be
 * resubmitted. Every handler is idempotent, since a resubmitted event may arrive twice.
 */
@Component
class UnitEventListener {

    private static final Logger log = LoggerFactory.getLogger(UnitEventListener.class);

    private final SubscriptionStore subscriptions;
    private final Catalog catalog;
    private final BillingProperties props;

    UnitEventListener(SubscriptionStore subscriptions, Catalog catalog, BillingProperties props) {
        this.subscriptions = subscriptions;
        this.catalog = catalog;
        this.props = props;
    }

    @ApplicationModuleListener
    void on(UnitCreated event) {
        PlanView plan = catalog.planFor(event.plan(), event.kind()).orElseThrow(() -> new IllegalStateException(
                "no plan '" + event.plan() + "' and no default plan for " + event.kind()
                        + " units: unit " + event.unitId() + " waits for one (the event is kept)"));
        if (subscriptions.start(event.tenantId(), event.unitId(), event.label(), plan.id(), day(event.at()),
                event.diskBytes())) {
            log.info("unit {} ({}) subscribed to plan {}", event.unitId(), event.label(), plan.code());
        }
    }

    @ApplicationModuleListener
    void on(UnitResized event) {
        subscriptions.resized(event.unitId(), event.diskBytes());
    }

    @ApplicationModuleListener
    void on(UnitDeleted event) {
        if (subscriptions.end(event.unitId(), day(event.at()))) {
            log.info("unit {} deleted: its subscription ends", event.unitId());
        }
    }

    private LocalDate day(java.time.Instant at) {
        return LocalDate.ofInstant(at, props.zone());
    }
}
