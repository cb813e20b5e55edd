package org.lodge.portal.security;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling, per account <em>and</em> source address (docs/architecture.md, Security):
 * {@code maxFailures} failures from one address lock that address out of that account for
 * {@code backoff}, doubling with each further failure up to {@code maxBackoff}; failures are
 * remembered for {@code memory} or until a login from that address succeeds. One address may fail
 * {@code maxFailuresPerSource} times in {@code window}, whatever the accounts. {@code window} also
 * bounds wrong current passwords on the password form.
 */
@Validated
@ConfigurationProperties("lodge.login")
public record LoginProperties(@Min(1) int maxFailures, @NotNull Duration window,
                              @DefaultValue("1m") @NotNull Duration backoff,
                              @DefaultValue("1h") @NotNull Duration maxBackoff,
                              @DefaultValue("24h") @NotNull Duration memory,
                              @DefaultValue("50") @Min(1) int maxFailuresPerSource) {

    /** The lock after {@code failures} failures of one account from one address (zero: none). */
    Duration backoffAfter(long failures) {
        if (failures < maxFailures) {
            return Duration.ZERO;
        }
        long doublings = Math.min(failures - maxFailures, 30);
        Duration lock = backoff.multipliedBy(1L << doublings);
        return lock.compareTo(maxBackoff) > 0 ? maxBackoff : lock;
    }
}
