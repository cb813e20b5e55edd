package org.lodge.billing.metering;

import org.lodge.provisioning.UnitCreated;
import org.lodge.provisioning.UnitDeleted;
import org.lodge.provisioning.UnitResized;
import org.lodge.provisioning.UnitResumed;
import org.lodge.provisioning.UnitSuspended;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Feeds the meters from provisioning's unit events. A change of shape closes the unit's hours up
 * to the event's time at the old shape first (the final sample), then applies itself; all of it in the
 * listener's transaction, which completes the publication. Every step is idempotent and ignores
 * an event older than what the meter knows, so a redelivered event (after a crash between the
 * provisioning commit and the delivery) changes nothing that counted already.
 */
@Component
class MeterListener {

    private final MeterStore meters;

    MeterListener(MeterStore meters) {
        this.meters = meters;
    }

    @ApplicationModuleListener
    void on(UnitCreated event) {
        meters.start(event.unitId(), event.tenantId(), event.diskBytes(), event.memoryMib(), event.vcpus(), event.at());
    }

    @ApplicationModuleListener
    void on(UnitResized event) {
        meters.close(event.unitId(), event.at());
        meters.reshape(event.unitId(), event.diskBytes(), event.memoryMib(), event.vcpus(), event.at());
    }

    @ApplicationModuleListener
    void on(UnitSuspended event) {
        meters.close(event.unitId(), event.at());
        meters.suspended(event.unitId(), true, event.at());
    }

    @ApplicationModuleListener
    void on(UnitResumed event) {
        meters.close(event.unitId(), event.at());
        meters.suspended(event.unitId(), false, event.at());
    }

    /**
     * A deletion only ends the meter: its last hours are closed by the next {@code closeAll} (the
     * hourly job, the billing run) at the shape then in force. A restart redelivers outstanding
     * events in any order, so a resize made before the deletion may arrive after it and must
     * still price those hours.
     */
    @ApplicationModuleListener
    void on(UnitDeleted event) {
        meters.end(event.unitId(), event.tenantId(), event.at());
    }
}
