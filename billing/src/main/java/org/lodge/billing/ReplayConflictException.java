package org.lodge.billing;

/** A provider transaction id seen before with another notification body: refused, nothing changed. */
public class ReplayConflictException extends RuntimeException {

    public ReplayConflictException(String reference) {
        super("transaction '" + reference + "' was notified already with a different content; nothing changed");
    }
}
