package org.lodge.billing;

import java.time.LocalDate;
import java.util.UUID;
import org.lodge.provisioning.UnitKind;

/** A plan with the price in force on {@code priceDate} ({@code null} when none is yet). */
public record PlanView(UUID id, String code, String name, UnitKind kind, long diskBytes, int memoryMib, int vcpus,
                       long backupQuotaBytes, boolean kindDefault, Money monthlyPrice, LocalDate priceDate) {
}
