package org.lodge.portal.web;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;

/** One page's words: each message key looked up once per page in the reader's language, however many rows say it. */
final class PageWords {

    private final MessageSource messages;
    private final Locale locale = LocaleContextHolder.getLocale();
    private final Map<String, String> words = new HashMap<>();

    PageWords(MessageSource messages) {
        this.messages = messages;
    }

    String get(String key) {
        return words.computeIfAbsent(key, k -> messages.getMessage(k, null, locale));
    }

    /** A state's badge class ("state state-ok"), as the layout's state fragment gives it. */
    static String stateClass(Enum<?> state) {
        return "state state-" + state.name().toLowerCase(Locale.ROOT);
    }

    /** A state's words (state.ok). */
    String state(Enum<?> state) {
        return get("state." + state.name().toLowerCase(Locale.ROOT));
    }
}
