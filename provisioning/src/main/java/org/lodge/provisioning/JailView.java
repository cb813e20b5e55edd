package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

public record JailView(UUID id, UUID tenantId, String node, String domain, String domainUnicode, String ipv4,
                       long diskBytes, Long diskUsedBytes, int memoryMib, JailState state, String ftpUser,
                       Instant createdAt) {

    public String diskHuman() {
        return DiskSize.ofBytes(diskBytes).human();
    }

    public String diskUsedHuman() {
        return diskUsedBytes == null ? "–" : DiskSize.ofBytes(Math.max(diskUsedBytes, 1)).human();
    }
}
