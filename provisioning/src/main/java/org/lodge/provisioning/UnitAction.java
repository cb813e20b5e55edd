package org.lodge.provisioning;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What staff and customers may ask of an existing unit, and which job does it for each kind of
 * unit: the one table that tells jail actions from VM actions.
 */
public enum UnitAction {
    START(true, JobKind.START_JAIL, JobKind.START_VM, UnitState.STOPPED),
    /** Jails stop at once; VMs get an ACPI shutdown, forced off after a timeout. */
    STOP(true, JobKind.STOP_JAIL, JobKind.SHUTDOWN_VM, UnitState.RUNNING, UnitState.PAUSED),
    RESTART(true, JobKind.RESTART_JAIL, JobKind.REBOOT_VM, UnitState.RUNNING),
    POWER_OFF(true, null, JobKind.POWER_OFF_VM, UnitState.RUNNING, UnitState.PAUSED),
    SUSPEND(true, null, JobKind.SUSPEND_VM, UnitState.RUNNING),
    RESUME(true, null, JobKind.RESUME_VM, UnitState.PAUSED),
    SAVE(true, null, JobKind.SAVE_VM, UnitState.RUNNING, UnitState.PAUSED),
    RESTORE(true, null, JobKind.RESTORE_VM, UnitState.SAVED),
    /** A new FTP password, proven by a real login and shown once to whoever asked (jails; a VM's lives in its guest). */
    RESET_FTP_PASSWORD(true, JobKind.RESET_JAIL_FTP_PASSWORD, null, UnitState.RUNNING),
    /**
     * The site (a VM: its whole disk) reset to a template, keeping domain, address and disk size; queued only through
     * {@link ReinstallService}, after the domain is typed to confirm.
     */
    REINSTALL(true, JobKind.REINSTALL_JAIL, JobKind.REINSTALL_VM, UnitState.RUNNING, UnitState.STOPPED),
    CHECK_FILESYSTEM(false, JobKind.CHECK_JAIL_FILESYSTEM, null, UnitState.RUNNING, UnitState.STOPPED,
            UnitState.NOT_CONFIGURED),
    DELETE(false, JobKind.DELETE_JAIL, JobKind.DELETE_VM, UnitState.PROVISIONING, UnitState.RUNNING,
            UnitState.PAUSED, UnitState.SAVED, UnitState.STOPPED, UnitState.NOT_CONFIGURED);

    private final Map<UnitKind, JobKind> jobs = new EnumMap<>(UnitKind.class);
    private final boolean selfService;
    private final Set<UnitState> offeredIn;

    /**
     * @param selfService whether a customer may ask it of their own units (power control), not only staff
     * @param offeredIn the recorded states in which the unit page offers it (no "start" on a running unit)
     */
    UnitAction(boolean selfService, JobKind jail, JobKind vm, UnitState... offeredIn) {
        this.selfService = selfService;
        this.offeredIn = Set.of(offeredIn);
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
            String allowed = Arrays.stream(values()).map(UnitAction::slug).collect(Collectors.joining(", "));
            throw InvalidRequestException.of("action", "unknown action; allowed: " + allowed, "action.unknown", allowed);
        }
    }

    public Optional<JobKind> jobFor(UnitKind kind) {
        return Optional.ofNullable(jobs.get(kind));
    }

    public boolean appliesTo(UnitKind kind) {
        return jobs.containsKey(kind);
    }

    /**
     * Whether a page offers the action for a unit recorded in {@code state}. Only the pages ask:
     * the recorded state may lag the node by a sync interval, and the jobs themselves cope with a
     * unit already in the state asked for.
     */
    public boolean offeredIn(UnitState state) {
        return offeredIn.contains(state);
    }

    public boolean selfService() {
        return selfService;
    }

    /** Whether the action makes the unit run (refused to the owner of a suspended unit). */
    public boolean runsUnit() {
        return this == START || this == RESTART || this == RESUME || this == RESTORE || this == REINSTALL;
    }

    /** The action as it appears in URLs and forms. */
    public String slug() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
