package org.lodge.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Percentiles of timings (nanoseconds), printed as benchmark table rows in milliseconds. */
final class Percentiles {

    private Percentiles() {
    }

    static String row(String label, List<Long> nanos) {
        return String.format("| %s | %d | %.0f ms | %.0f ms |", label, nanos.size(), p(nanos, 50), p(nanos, 95));
    }

    static double p(List<Long> nanos, int percentile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
