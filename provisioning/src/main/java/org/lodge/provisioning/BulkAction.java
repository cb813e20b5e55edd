package org.lodge.provisioning;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What staff may ask of many selected units at once: power control for all, backups for jails. */
public enum BulkAction {
    START(UnitAction.START), STOP(UnitAction.STOP), RESTART(UnitAction.RESTART), BACKUP(null);

    private final UnitAction unitAction;

    BulkAction(UnitAction unitAction) {
        this.unitAction = unitAction;
    }

    public static BulkAction parse(String text) {
        try {
            return valueOf(text == null ? "" : text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(values()).map(BulkAction::slug).collect(Collectors.joining(", "));
            throw InvalidRequestException.of("action", "unknown bulk action; allowed: " + allowed, "bulk.unknown", allowed);
        }
    }

    /** The single-unit action it repeats, empty for a backup (which has its own service). */
    public Optional<UnitAction> unitAction() {
        return Optional.ofNullable(unitAction);
    }

    public String slug() {
        return name().toLowerCase(Locale.ROOT);
    }
}
