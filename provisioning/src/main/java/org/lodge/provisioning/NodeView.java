package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record NodeView(String name, String lxcUri, long freeDiskBytes, long templateBytes, Instant heartbeatAt,
                       List<Pool> pools) {

    public record Pool(UUID id, String network, String cidr, String gateway, String rangeStart, String rangeEnd,
                       long used, long size, List<String> free) {
    }
}
