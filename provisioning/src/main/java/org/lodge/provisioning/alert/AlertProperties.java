package org.lodge.provisioning.alert;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Alert e-mail: who hears of every unit's alerts besides the unit's tenant (its contact address),
 * the sender, how often Quartz judges the alerts and sends what is pending, and how long a failed
 * mail waits before it is tried again.
 */
@Validated
@ConfigurationProperties("lodge.alerts")
public record AlertProperties(List<@Email String> staffEmails, @NotBlank @Email String from, @NotBlank String cron,
                              @NotNull Duration retryAfter) {

    public AlertProperties {
        staffEmails = staffEmails == null ? List.of() : staffEmails.stream().filter(a -> !a.isBlank()).toList();
    }
}
