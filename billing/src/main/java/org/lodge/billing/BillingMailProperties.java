package org.lodge.billing;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Billing e-mail ({@code lodge.billing.mail.*}); the SMTP server itself is Spring's
 * {@code spring.mail.*}.
 *
 * @param from         the sender of invoices and notices
 * @param sendInterval how often the outbox is looked at for mail to send
 * @param retryAfter   how long a mail whose sending failed waits before the next try
 * @param batch        at most this many mails per look
 */
@Validated
@ConfigurationProperties("lodge.billing.mail")
public record BillingMailProperties(@NotBlank @Email String from, @NotNull Duration sendInterval,
                                    @NotNull Duration retryAfter, @Min(1) int batch) {
}
