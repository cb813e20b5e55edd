package org.lodge.portal.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** Login throttling: this many failures within the window lock the account for the window. */
@Validated
@ConfigurationProperties("lodge.login")
public record LoginProperties(@Min(1) int maxFailures, @NotNull Duration window) {
}
