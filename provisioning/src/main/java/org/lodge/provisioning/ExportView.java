package org.lodge.provisioning;

import java.time.Instant;
import java.util.UUID;

/** A finished disk export of a VM; {@code path} is on the VM's node. */
public record ExportView(UUID jobId, UUID unitId, String format, String path, long bytes, Instant createdAt) {

    public String sizeHuman() {
        return DiskSize.ofBytes(Math.max(bytes, 1)).human();
    }

    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
