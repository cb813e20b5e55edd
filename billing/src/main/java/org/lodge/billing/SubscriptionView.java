package org.lodge.billing;

import java.time.LocalDate;
import java.util.UUID;

/** A unit's subscription: its plan and billing day; {@code endedOn} once the unit is deleted. */
public record SubscriptionView(UUID id, UUID tenantId, UUID unitId, String unitLabel, String planCode,
                               int billingDay, LocalDate startedOn, LocalDate endedOn) {
}
