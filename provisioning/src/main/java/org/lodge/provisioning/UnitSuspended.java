package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A VM was paused (its memory kept, its CPUs stopped) by a suspend job that ended OK. */
public record UnitSuspended(UUID unitId, UUID tenantId, Instant at) {
}
