package org.lodge.provisioning;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record NodeView(String name, String lxcUri, String qemuUri, String virtType, Integer cpus, Long memoryBytes,
                       Long freeMemoryBytes, Long poolCapacityBytes, long freeDiskBytes, long templateBytes,
                       int vmMaxVcpus, int vmMaxMemoryMib, boolean vmsNeedTcg, boolean vmTcgAllowed, Instant heartbeatAt, List<Pool> pools,
                       List<Template> templates) {

    public record Pool(UUID id, String network, String cidr, String gateway, String rangeStart, String rangeEnd,
                       long used, long size, List<String> free) {
    }

    public record Template(String name, String os, long minDiskBytes, int minMemoryMib, String customisation) {

        public String minDiskHuman() {
            return DiskSize.ofBytes(minDiskBytes).human();
        }
    }

    public static String human(Long bytes) {
        return bytes == null ? "–" : DiskSize.ofBytes(Math.max(bytes, 1)).human();
    }
}
