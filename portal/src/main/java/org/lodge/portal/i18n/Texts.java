package org.lodge.portal.i18n;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Text for people in the current request's language: message keys, and refusals of provisioning
 * and billing, which carry a stable code ("error." + code in the bundles) or, without one, only
 * their English message, shown as it is.
 */
@Component
public class Texts {

    private final MessageSource messages;

    public Texts(MessageSource messages) {
        this.messages = messages;
    }

    public String get(String key, Object... args) {
        return messages.getMessage(key, args, key, LocaleContextHolder.getLocale());
    }

    /** In a given language (the API's: Accept-Language first, see ApiErrors). */
    public String get(Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, key, locale);
    }

    /** A key's text, or the given default where no bundle has it. */
    public String messages(Locale locale, String key, String otherwise) {
        return messages.getMessage(key, null, otherwise, locale);
    }

    /** What was not found, in a given language: notfound.<kind>, else the generic api.not-found with the English. */
    public String notFound(NotFoundException missing, Locale locale) {
        return messages.getMessage("notfound." + missing.kind(), missing.ids(),
                messages.getMessage("api.not-found", new Object[] {missing.what()}, missing.getMessage(), locale), locale);
    }

    public String problem(InvalidInputException problem) {
        return problem(problem, LocaleContextHolder.getLocale());
    }

    public String problem(InvalidInputException problem, Locale locale) {
        if (problem.code() == null) {
            return problem.getMessage();
        }
        return messages.getMessage("error." + problem.code(), problem.args(), problem.getMessage(), locale);
    }

    /** A refusal that is no field's, in a given language: its error.<code> message, else its English reason. */
    public String refusal(CodedRefusal refused, Locale locale) {
        return messages.getMessage("error." + refused.code(), refused.args(), refused.getReason(), locale);
    }

    /** One translated message per field, as InvalidRequestException#errors has them in English. */
    public Map<String, String> errors(InvalidRequestException refused) {
        Map<String, String> errors = new LinkedHashMap<>();
        refused.problems().forEach(p -> errors.putIfAbsent(p.field(), problem(p)));
        return errors;
    }

    /** All problems on one line, for a flash message or an error page. */
    public String summary(InvalidRequestException refused) {
        return refused.problems().stream().map(this::problem).distinct().collect(Collectors.joining("; "));
    }
}
