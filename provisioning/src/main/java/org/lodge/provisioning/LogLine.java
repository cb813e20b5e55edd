package org.lodge.provisioning;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One line of a job's log, as the user reads it. */
public record LogLine(long id, Instant at, String step, String level, String message) {

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);

    /** ISO-8601 with milliseconds, e.g. {@code 2026-11-23T10:15:30.042Z}. */
    public String timestamp() {
        return ISO_MILLIS.format(at);
    }

    public String text() {
        return timestamp() + " " + level + " [" + step + "] " + message;
    }
}
