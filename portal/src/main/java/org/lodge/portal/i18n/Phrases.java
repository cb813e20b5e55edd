package org.lodge.portal.i18n;

import org.lodge.provisioning.Phrase;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Coded words on pages ({@code ${@phrases.text(b.reasonWords, b.reason)}}, e.g. a failed backup's
 * reason): said in the reader's language from their code, else the stored English.
 */
@Component("phrases")
public class Phrases {

    private final MessageSource messages;

    public Phrases(MessageSource messages) {
        this.messages = messages;
    }

    public String text(Phrase phrase, String english) {
        if (phrase == null) {
            return english;
        }
        String words = messages.getMessage(phrase.code(), phrase.args().toArray(), english, LocaleContextHolder.getLocale());
        return phrase.detail() == null ? words : words + ": " + phrase.detail();
    }
}
