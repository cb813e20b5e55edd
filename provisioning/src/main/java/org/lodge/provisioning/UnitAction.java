package org.lodge.provisioning;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What staff and customers may ask of an existing unit, and which job does it for each kind of
 * unit: the one table that tells jail actions from VM actions.
 */
public enum UnitAction {
    START(true, JobKind.START_JAIL, JobKind.START_VM),
    /** Jails stop at once; VMs get an ACPI shutdown, forced off after a timeout. */
    STOP(true, JobKind.STOP_JAIL, JobKind.SHUTDOWN_VM),
    RESTART(true, JobKind.RESTART_JAIL, JobKind.REBOOT_VM),
    POWER_OFF(true, null, JobKind.POWER_OFF_VM),
    SUSPEND(true, null, JobKind.SUSPEND_VM),
    RESUME(true, null, JobKind.RESUME_VM),
    SAVE(true, null, JobKind.SAVE_VM),
    RESTORE(true, null, JobKind.RESTORE_VM),
    /** A new FTP password, proven by a real login and shown once to whoever asked (jails; a VM's lives in its guest). */
    RESET_FTP_PASSWORD(true, JobKind.RESET_JAIL_FTP_PASSWORD, null),
    CHECK_FILESYSTEM(false, JobKind.CHECK_JAIL_FILESYSTEM, null),
    DELETE(false, JobKind.DELETE_JAIL, JobKind.DELETE_VM);

    private final Map<UnitKind, JobKind> jobs = new EnumMap<>(UnitKind.class);
    private final boolean selfService;

    /** @param selfService whether a customer may ask it of their own units (power control), not only staff */
    UnitAction(boolean selfService, JobKind jail, JobKind vm) {
        this.selfService = selfService;
        if (jail != null) {
            jobs.put(UnitKind.JAIL, jail);
        }
        if (vm != null) {
            jobs.put(UnitKind.VM, vm);
        }
    }

    /** Parses "start", "power-off", ... as typed in a URL. */
    public static UnitAction parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("action", "unknown action; allowed: "
                    + Arrays.stream(values()).map(UnitAction::slug).collect(Collectors.joining(", ")));
        }
    }

    public Optional<JobKind> jobFor(UnitKind kind) {
        return Optional.ofNullable(jobs.get(kind));
    }

    public boolean appliesTo(UnitKind kind) {
        return jobs.containsKey(kind);
    }

    public boolean selfService() {
        return selfService;
    }

    /** Whether the action makes the unit run (refused to the owner of a suspended unit). */
    public boolean runsUnit() {
        return this == START || this == RESTART || this == RESUME || this == RESTORE;
    }

    /** The action as it appears in URLs and forms. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
