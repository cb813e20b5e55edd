package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A grow-disk or resize job ended OK: the unit's shape as it now is. */
public record UnitResized(UUID unitId, UUID tenantId, long diskBytes, int memoryMib, int vcpus, Instant at) {
}
