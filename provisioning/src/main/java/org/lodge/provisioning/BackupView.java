package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/**
 * One backup of a unit as staff and the unit's customers see it. {@code id} is also the id of
 * the job that took it; {@code outcome} is RUNNING, UNVERIFIED (taken, not yet verified), OK
 * (verified: restorable) or KO ({@code reason} says why).
 */
public record BackupView(UUID id, UUID unitId, String unitDomain, Instant takenAt, String snapshotId, Long files,
                         Long sizeBytes, Long addedBytes, Integer freezeMs, boolean verified, boolean protectedFromPrune,
                         String outcome, String reason,
                         @com.fasterxml.jackson.annotation.JsonIgnore Phrase reasonWords) {
}
