package org.lodge.provisioning;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One line of a job's log: its English text, and for a line a person reads in their language its
 * {@link Phrase} (code, arguments, detail; null on lines written as plain English).
 */
public record LogLine(long id, Instant at, String step, String level, String message, Phrase phrase) {

    public LogLine(long id, Instant at, String step, String level, String message) {
        this(id, at, step, level, message, null);
    }

    /** The same line with other text (rendered, or filtered for a customer). */
    public LogLine withMessage(String text) {
        return new LogLine(id, at, step, level, text, phrase);
    }

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
