package org.lodge.provisioning;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The spans a unit's usage charts offer, each read from the level of detail that gives it a few
 * hundred to two thousand points and touches only the partitions of its span.
 */
public enum UsageRange {
    HOUR(Duration.ofHours(1), "minute"),
    DAY(Duration.ofDays(1), "5m"),
    WEEK(Duration.ofDays(7), "5m"),
    MONTH(Duration.ofDays(30), "hour");

    private final Duration span;
    private final String resolution;

    UsageRange(Duration span, String resolution) {
        this.span = span;
        this.resolution = resolution;
    }

    public Duration span() {
        return span;
    }

    /** "minute" (raw samples), "5m" or "hour" (roll-ups). */
    public String resolution() {
        return resolution;
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The range a request names ({@code hour}, {@code day}, {@code week}, {@code month}); anything else is refused. */
    public static UsageRange parse(String text) {
        String wanted = text == null ? "hour" : text.strip().toUpperCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.name().equals(wanted)).findFirst()
                .orElseThrow(() -> InvalidRequestException.of("range", "unknown range; use one of "
                        + slugs(), "usage.range", slugs()));
    }

    private static String slugs() {
        return Arrays.stream(values()).map(UsageRange::slug).collect(Collectors.joining(", "));
    }
}
