package org.lodge.billing;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The dunning timeline after an invoice's due date ({@code lodge.billing.dunning.*}); the
 * suspension itself is {@code lodge.billing.suspend-after-days}.
 *
 * @param firstReminderDays  days past due of the first reminder e-mail
 * @param secondReminderDays days past due of the second reminder e-mail
 * @param terminateAfterDays days past due after which a suspended unit is deleted (its last backup is kept)
 */
@Validated
@ConfigurationProperties("lodge.billing.dunning")
public record DunningProperties(@Min(1) int firstReminderDays, @Min(1) int secondReminderDays,
                                @Min(1) int terminateAfterDays) {

    @AssertTrue(message = "the reminders come in order: first-reminder-days < second-reminder-days")
    public boolean isOrdered() {
        return firstReminderDays < secondReminderDays;
    }
}
