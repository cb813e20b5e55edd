package org.lodge.provisioning;

/** Something wrong with a unit now, as its page shows it: {@code kind} is DISK_FULL or DOWN. */
public record UnitAlert(String kind, String message) {
}
