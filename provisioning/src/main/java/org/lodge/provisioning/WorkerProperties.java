package org.lodge.provisioning;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How the worker of this node runs jobs. */
@Validated
@ConfigurationProperties("lodge.worker")
public record WorkerProperties(@Min(1) int concurrency, @NotNull Duration pollInterval,
                               @NotNull Duration heartbeatInterval, @NotNull Duration staleAfter,
                               @NotNull Duration sweepInterval, @NotNull Duration jobTimeout,
                               @NotNull Duration queueTimeout, @NotNull Duration secretTtl,
                               @Min(1) int retryAttempts, @NotNull Duration retryInitialBackoff) {
}
