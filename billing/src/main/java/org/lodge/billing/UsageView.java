package org.lodge.billing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One unit's usage in the running calendar month so far, from the hourly metering ledger, and
 * what the month would come to at today's prices (net, before VAT): the plan's monthly price for
 * the days the unit exists in the month, plus backup storage beyond the plan's quota so far.
 *
 * @param hours             hours metered so far this month (the ledger closes them every hour)
 * @param suspendedHours    of which the unit was suspended
 * @param backupGibMonths   backup storage kept so far, in GiB-months of this month
 * @param overQuotaGibMonths of which beyond the plan's backup quota (billed at the metering price)
 */
public record UsageView(UUID tenantId, UUID unitId, String unitLabel, String planCode, String planName,
                        LocalDate monthStart, LocalDate monthEnd, long hours, long suspendedHours,
                        BigDecimal backupGibMonths, BigDecimal overQuotaGibMonths, Money monthlyPrice,
                        Money planAmount, Money backupAmount, Money total) {
}
