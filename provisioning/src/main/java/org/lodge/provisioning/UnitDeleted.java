package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A deletion job ended OK: the unit and everything it had on its node are gone. */
public record UnitDeleted(UUID unitId, UUID tenantId, Instant at) {
}
