package org.lodge.billing;

/**
 * What was issued in one calendar month ({@code 2026-03}): net and gross of invoices less credit
 * notes (stored negative), and how many of each.
 */
public record MonthRevenue(String month, Money net, Money gross, int invoices, int creditNotes) {
}
