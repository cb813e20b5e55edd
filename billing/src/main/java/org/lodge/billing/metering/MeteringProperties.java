package org.lodge.billing.metering;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Metering settings ({@code lodge.billing.metering.*}).
 *
 * @param backupGibMonthPrice the net price (EUR) of one GiB of backup storage beyond the plan's
 *                            quota kept for a whole billing period
 */
@Validated
@ConfigurationProperties("lodge.billing.metering")
public record MeteringProperties(@NotNull @DecimalMin("0") @DefaultValue("0.10") BigDecimal backupGibMonthPrice) {
}
