package org.lodge.provisioning;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The language and time zone of a mail's reader, and its text from the message bundles (the
 * portal's i18n/ bundles, read through Spring's MessageSource, so provisioning and billing need no
 * portal class). An address is read by the person who gave it on their account page (their saved
 * choice); for a tenant's address nobody gave, by the tenant's administrator's choice (else any
 * of its users'); otherwise English in the portal's zone.
 */
@Component
public class MailReaders {

    private final JdbcClient jdbc;
    private final MessageSource messages;
    private final ZoneId defaultZone;

    public MailReaders(JdbcClient jdbc, MessageSource messages,
                       @Value("${lodge.web.time-zone:Europe/Rome}") ZoneId defaultZone) {
        this.jdbc = jdbc;
        this.messages = messages;
        this.defaultZone = defaultZone;
    }

    private record Choice(String language, String zone) {
    }

    /** A staff address: the staff user who gave it, else English. */
    public MailReader staff(String address) {
        return of(address, null);
    }

    /** An address of a tenant (null: of staff), as that person or the tenant chose. */
    public MailReader of(String address, UUID tenantId) {
        Choice person = jdbc.sql("""
                        select language, time_zone from app_user
                         where lower(email) = lower(:address) and disabled_at is null
                         order by (tenant_id is not distinct from cast(:tenant as uuid)) desc, created_at limit 1""")
                .param("address", address).param("tenant", tenantId)
                .query((rs, n) -> new Choice(rs.getString(1), rs.getString(2))).optional().orElse(new Choice(null, null));
        Choice tenant = tenantId == null || person.language() != null ? new Choice(null, null) : jdbc.sql("""
                        select language, time_zone from app_user
                         where tenant_id = :tenant and language in ('en', 'it') and disabled_at is null
                         order by role = 'TENANT_ADMIN' desc, created_at limit 1""")
                .param("tenant", tenantId).query((rs, n) -> new Choice(rs.getString(1), rs.getString(2)))
                .optional().orElse(new Choice(null, null));
        String language = person.language() != null ? person.language() : tenant.language();
        String zone = person.zone() != null ? person.zone() : tenant.zone();
        return new MailReader(address, "it".equals(language) ? Locale.ITALIAN : Locale.ENGLISH, zone(zone));
    }

    /** The text of a bundle key in the reader's language (the key itself if no bundle has it). */
    public String text(MailReader reader, String key, Object... args) {
        return messages.getMessage(key, args, key, reader.locale());
    }

    /** For a template engine that resolves #{...} (billing's letters). */
    public MessageSource messages() {
        return messages;
    }

    private ZoneId zone(String id) {
        try {
            return id == null || id.isBlank() ? defaultZone : ZoneId.of(id);
        } catch (DateTimeException e) {
            return defaultZone;
        }
    }
}
