package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

public record UnitView(UUID id, UnitKind kind, UUID tenantId, String node, String domain, String domainUnicode,
                       String ipv4, long diskBytes, Long diskUsedBytes, int memoryMib, int vcpus, String template,
                       String templateVersion, String mac, UnitState state, String ftpUser, Instant createdAt,
                       String suspendedFor) {

    public String diskHuman() {
        return DiskSize.ofBytes(diskBytes).human();
    }

    public String diskUsedHuman() {
        return diskUsedBytes == null ? "–" : DiskSize.ofBytes(Math.max(diskUsedBytes, 1)).human();
    }

    /** Whether the unit page offers the action: it exists for this kind and makes sense in the recorded state. */
    public boolean can(UnitAction action) {
        return action.appliesTo(kind) && action.offeredIn(state);
    }

    /** Whether its owner may ask this action: not one that runs the unit while it is suspended (staff still may). */
    public boolean ownerMay(UnitAction action) {
        return action.selfService() && (suspendedFor == null || !action.runsUnit());
    }
}
