package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

public record JobView(UUID id, JobKind kind, JobState state, UUID tenantId, UUID unitId, String unitLabel,
                      String node, String currentStep, String lastError, int attempts, String createdBy,
                      Instant createdAt, Instant startedAt, Instant finishedAt) {

    /** The unit's label as people read it: an IDN domain in Unicode, like the units list shows it. */
    public String unitLabelUnicode() {
        return StaffDashboard.unicode(unitLabel);
    }

    /** Whether its new FTP password is shown only to whoever queued the job (a reset, a reinstall). */
    public boolean revealsToRequesterOnly() {
        return UnitKind.revealsToRequesterOnly(kind);
    }
}
