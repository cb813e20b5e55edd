package org.lodge.provisioning;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * An alert's line in a reader's language and time zone, the same in e-mails (AlertMail) and on
 * pages: the kind's message (mail.alert.detail.&lt;kind&gt;, in the mail bundle) filled with the
 * alert's parameters, a time shown in the reader's zone and a unit's state in their words. An
 * alert without parameters (an episode opened before V39), or of a kind no bundle knows, keeps
 * the English line it was judged with.
 */
@Component
public class AlertLines {

    private static final Set<String> STATES = Arrays.stream(UnitState.values()).map(Enum::name)
            .collect(Collectors.toUnmodifiableSet());

    private final MessageSource messages;

    public AlertLines(MessageSource messages) {
        this.messages = messages;
    }

    public String line(AlertDetail alert, Locale locale, ZoneId zone) {
        if (alert.args() == null) {
            return alert.message();
        }
        MailReader reader = new MailReader(null, locale, zone);
        Object[] args = alert.args().stream().map(arg -> shown(arg, reader)).toArray();
        if (alert.reason() != null && args.length > 0) {
            // A failed backup's reason, in the reader's words from its code.
            args[args.length - 1] = alert.reason().resolvable();
        }
        return messages.getMessage("mail.alert.detail." + alert.kind(), args, alert.message(), locale);
    }

    /** The kind in a few words ("disk nearly full"), as mail subjects and the units list say it. */
    public String kind(String kind, Locale locale) {
        return messages.getMessage("mail.alert.kind." + kind, null, kind, locale);
    }

    private static Object shown(String arg, MailReader reader) {
        try {
            return reader.at(Instant.parse(arg));
        } catch (DateTimeParseException notATime) {
            // not a time: a state, a number or a name
        }
        return STATES.contains(arg) ? UnitState.valueOf(arg).label() : arg;
    }
}
