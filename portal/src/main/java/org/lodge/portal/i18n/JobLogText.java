package org.lodge.portal.i18n;

import java.util.Locale;
import org.lodge.provisioning.LogLine;
import org.lodge.provisioning.Phrase;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * A job log line in the reader's language: a line with a code the reader's bundle has (i18n/joblog)
 * is said from it with its arguments, the detail (tool output) after it for staff; any other line
 * keeps its stored English text. A customer's line then loses host paths, pids and uid ranges.
 */
@Component
public class JobLogText {

    private final MessageSource messages;

    public JobLogText(MessageSource messages) {
        this.messages = messages;
    }

    public LogLine shown(LogLine line, boolean customer, Locale locale) {
        String text = line.message();
        Phrase phrase = line.phrase();
        String words = phrase == null ? null : messages.getMessage(phrase.code(), phrase.args().toArray(), null, locale);
        if (words != null) {
            // Provisioning already took a customer's details away; their warnings and errors say where they are.
            if (customer) {
                text = "INFO".equals(line.level()) ? words
                        : words + " " + messages.getMessage("joblog.staff-only", null, locale);
            } else {
                text = phrase.detail() == null ? words : words + ": " + phrase.detail();
            }
        }
        return line.withMessage(customer ? CustomerLogText.of(text) : text);
    }
}
