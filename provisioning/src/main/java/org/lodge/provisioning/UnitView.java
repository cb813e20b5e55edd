package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

public record UnitView(UUID id, UnitKind kind, UUID tenantId, String node, String domain, String domainUnicode,
                       String ipv4, long diskBytes, Long diskUsedBytes, int memoryMib, int vcpus, String template,
                       String templateVersion, String mac, UnitState state, String ftpUser, Instant createdAt) {

    public String diskHuman() {
        return DiskSize.ofBytes(diskBytes).human();
    }

    public String diskUsedHuman() {
        return diskUsedBytes == null ? "–" : DiskSize.ofBytes(Math.max(diskUsedBytes, 1)).human();
    }

    public boolean can(UnitAction action) {
        return action.appliesTo(kind);
    }
}
