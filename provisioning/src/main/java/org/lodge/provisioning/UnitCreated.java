package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/**
 * A unit's creation (or clone) job ended OK: the unit exists and runs. Published in the job's
 * final transaction, so it exists exactly when the unit does.
 *
 * @param plan the billing plan the request named (opaque to provisioning), or {@code null}
 */
public record UnitCreated(UUID unitId, UUID tenantId, UnitKind kind, String label, long diskBytes, int memoryMib,
                          int vcpus, String plan, Instant at) {
}
