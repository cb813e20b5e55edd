package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A paused VM runs again after a resume job that ended OK. */
public record UnitResumed(UUID unitId, UUID tenantId, Instant at) {
}
