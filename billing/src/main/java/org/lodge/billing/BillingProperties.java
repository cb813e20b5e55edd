package org.lodge.billing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Billing settings ({@code lodge.billing.*}).
 *
 * @param zone          the zone whose calendar days start periods and date invoices
 * @param series        the fiscal numbering series of issued invoices
 * @param vatRate       the VAT rate (percent) put on new lines; each line keeps the rate it was billed at
 * @param paymentDays   days from issue to due date
 * @param runCron       when the billing run fires (Quartz cron, in {@code zone})
 * @param autoIssue     whether the run issues the drafts it makes (else staff issue them)
 * @param seller        the seller's name and address lines printed on invoices
 * @param suspendAfterDays days after the due date an unpaid invoice suspends the units it bills
 */
@Validated
@ConfigurationProperties("lodge.billing")
public record BillingProperties(@NotNull ZoneId zone, @NotBlank String series,
                                @NotNull @DecimalMin("0") @DecimalMax("99.99") BigDecimal vatRate,
                                @Min(0) int paymentDays, @NotBlank String runCron, boolean autoIssue,
                                @NotBlank String seller, @Min(0) int suspendAfterDays) {
}
