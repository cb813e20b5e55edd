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

    /** A row of the node's template catalogue. */
    public record Template(String name, UnitKind kind, String os, String version, String contentHash, long minDiskBytes,
                           int minMemoryMib, String customisation, boolean enabled, boolean isDefault) {

        public String minDiskHuman() {
            return DiskSize.ofBytes(minDiskBytes).human();
        }

        /** The content hash as people compare it: its first 12 hex digits. */
        public String shortHash() {
            return contentHash == null ? "–" : contentHash.substring(0, Math.min(contentHash.length(), 19));
        }
    }

    /** The enabled templates of a kind, the default first: what a new unit of that kind may be made from. */
    public List<Template> offered(UnitKind kind) {
        return templates.stream().filter(t -> t.kind() == kind && t.enabled())
                .sorted(java.util.Comparator.comparing((Template t) -> !t.isDefault()).thenComparing(Template::name))
                .toList();
    }

    public static String human(Long bytes) {
        return bytes == null ? "–" : DiskSize.ofBytes(Math.max(bytes, 1)).human();
    }
}
