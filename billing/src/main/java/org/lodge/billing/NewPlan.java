package org.lodge.billing;

import org.lodge.provisioning.UnitKind;

/**
 * A plan to add, as typed (sizes like "1G", the price like "9.90"): parsed and checked by
 * {@link Catalog#create}, which reports every bad field at once.
 */
public record NewPlan(String code, String name, UnitKind kind, String disk, String memoryMib, String vcpus,
                      String backupQuota, String monthlyPrice, String effectiveFrom, boolean kindDefault) {
}
