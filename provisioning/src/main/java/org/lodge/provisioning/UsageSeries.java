package org.lodge.provisioning;

import java.util.List;

/**
 * A unit's usage over a range, as parallel columns (the shape charting libraries take): time in
 * epoch seconds, CPU in percent of one core, memory and disk used in bytes, traffic and disk I/O
 * in bytes per second ("in" = into the unit). A null is a point without a figure.
 */
public record UsageSeries(String range, String resolution, List<Long> time, List<Double> cpuPercent,
                          List<Long> memoryBytes, List<Long> diskUsedBytes, List<Double> netInBytesPerSecond,
                          List<Double> netOutBytesPerSecond, List<Double> diskReadBytesPerSecond,
                          List<Double> diskWriteBytesPerSecond) {
}
