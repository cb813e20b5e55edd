package org.lodge.provisioning.usage;

import java.time.Instant;
import java.util.UUID;

/**
 * One unit's counters as read at one instant. CPU time and byte counts are cumulative since the
 * unit's current run began (they restart at zero with it); memory and disk used are levels.
 * "In" is traffic into the unit, "out" traffic it sent. A null is a figure the host could not read.
 */
public record UsageSample(UUID unitId, UUID tenantId, Instant at, Long cpuNanos, Long memoryBytes,
                          Long diskUsedBytes, Long diskReadBytes, Long diskWriteBytes, Long netInBytes,
                          Long netOutBytes) {
}
