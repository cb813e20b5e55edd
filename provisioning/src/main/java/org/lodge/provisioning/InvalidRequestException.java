package org.lodge.provisioning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A request refused before anything was created: one message per offending field. */
public class InvalidRequestException extends RuntimeException {

    private final Map<String, String> errors;
    private final transient List<InvalidInputException> problems;

    public InvalidRequestException(List<InvalidInputException> problems) {
        super(summary(problems));
        this.errors = new LinkedHashMap<>();
        this.problems = List.copyOf(problems);
        problems.forEach(p -> errors.putIfAbsent(p.field(), p.getMessage()));
    }

    public static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(List.of(new InvalidInputException(field, message)));
    }

    /** With a stable code and arguments, so the portal can translate it (see InvalidInputException). */
    public static InvalidRequestException of(String field, String message, String code, Object... args) {
        return new InvalidRequestException(List.of(new InvalidInputException(field, message, code, args)));
    }

    /** Each problem with its field, English message, code and arguments, in order. */
    public List<InvalidInputException> problems() {
        return problems;
    }

    public Map<String, String> errors() {
        return errors;
    }

    private static String summary(List<InvalidInputException> problems) {
        StringBuilder text = new StringBuilder();
        for (InvalidInputException p : problems) {
            text.append(text.isEmpty() ? "" : "; ").append(p.field()).append(": ").append(p.getMessage());
        }
        return text.toString();
    }
}
