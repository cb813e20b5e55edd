package org.lodge.provisioning;

import java.util.UUID;

/** Optional filters of the job list; {@code null} means any. */
public record JobFilter(UUID tenantId, JobState state, JobKind kind, UUID unitId) {
}
