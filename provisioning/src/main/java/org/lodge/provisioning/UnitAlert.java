package org.lodge.provisioning;

import java.util.List;

/**
 * Something wrong with a unit (or node) now: {@code kind} is DISK_FULL, DOWN, ...; {@code message}
 * is the English line pages and logs show; {@code args} are its parameters, from which an e-mail
 * says the same in its reader's language (mail.alert.detail.<kind>): numbers and names as they are,
 * a time as an ISO-8601 instant, a unit's state as its {@link UnitState} name.
 */
public record UnitAlert(String kind, String message, List<String> args, Phrase reason) implements AlertDetail {

    public UnitAlert {
        args = List.copyOf(args);
    }

    public UnitAlert(String kind, String message, Object... args) {
        this(kind, message, java.util.Arrays.stream(args).map(String::valueOf).toList(), null);
    }

    /** The same alert with its last parameter said from {@code reason}'s code (null: as it is). */
    public UnitAlert reason(Phrase reason) {
        return new UnitAlert(kind, message, args, reason);
    }
}
