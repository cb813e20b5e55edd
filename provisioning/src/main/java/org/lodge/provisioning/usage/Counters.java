package org.lodge.provisioning.usage;

/** What the host reads of one unit in one pass (see {@link UsageSample} for the meanings). */
public record Counters(Long cpuNanos, Long memoryBytes, Long diskUsedBytes, Long diskReadBytes,
                       Long diskWriteBytes, Long netInBytes, Long netOutBytes) {
}
