package org.lodge.provisioning.usage;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Usage sampling and its storage: how often each worker samples its units, how long each level
 * of detail is kept (whole partitions are dropped past it), how many days of raw partitions are
 * made ahead, and when Quartz rolls samples up and maintains partitions.
 */
@Validated
@ConfigurationProperties("lodge.usage")
public record UsageProperties(@NotNull Duration interval, @NotNull Duration rawRetention,
                              @NotNull Duration fiveMinuteRetention, @NotNull Duration hourlyRetention,
                              @Min(1) int daysAhead, @NotBlank String rollupCron, @NotBlank String partitionCron) {
}
