package org.lodge.billing;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The payment provider's notifications ({@code lodge.billing.provider.*}): the HMAC-SHA256 key
 * they are signed with, from the environment ({@code LODGE_BILLING_PROVIDER_KEY}) or a file
 * readable by the portal only. Never stored in the database. Without a key every notification
 * is refused.
 *
 * @param hmacKey     the shared key itself (at least 32 characters)
 * @param hmacKeyFile a file holding the key (used when {@code hmacKey} is empty)
 */
@ConfigurationProperties("lodge.billing.provider")
public record PaymentProviderProperties(String hmacKey, Path hmacKeyFile) {
}
