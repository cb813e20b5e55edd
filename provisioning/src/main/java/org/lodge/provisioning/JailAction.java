package org.lodge.provisioning;

/** What staff may ask of an existing jail; each becomes a job. */
public enum JailAction {
    START(JobKind.START_JAIL),
    STOP(JobKind.STOP_JAIL),
    RESTART(JobKind.RESTART_JAIL),
    DELETE(JobKind.DELETE_JAIL),
    CHECK_FILESYSTEM(JobKind.CHECK_JAIL_FILESYSTEM);

    private final JobKind kind;

    JailAction(JobKind kind) {
        this.kind = kind;
    }

    /** Parses "start", "check-filesystem", ... as typed in a URL. */
    public static JailAction parse(String text) {
        try {
            return valueOf(text.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("action", "unknown action; allowed: start, stop, restart, delete, check-filesystem");
        }
    }

    public JobKind kind() {
        return kind;
    }
}
