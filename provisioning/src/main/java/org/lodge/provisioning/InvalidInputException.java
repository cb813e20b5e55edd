package org.lodge.provisioning;

/**
 * One field of the operator's input is unusable; the message says why and what is allowed, in
 * English. A stable code and its arguments, where given, let the portal say it in the reader's
 * language (message key "error." + code); without a code the English message is shown.
 */
public class InvalidInputException extends RuntimeException {

    private final String field;
    private final String code;
    private final transient Object[] args;

    public InvalidInputException(String field, String message) {
        this(field, message, null);
    }

    public InvalidInputException(String field, String message, String code, Object... args) {
        super(message);
        this.field = field;
        this.code = code;
        this.args = args == null ? new Object[0] : args.clone();
    }

    public String field() {
        return field;
    }

    /** The stable code of this problem (e.g. "domain.required"), or null: only the English message. */
    public String code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }

    /**
     * Shows user input inside a message without letting control or invisible formatting characters
     * (bidi overrides, joiners) through, so a message cannot be made to display misleadingly.
     */
    public static String quote(String input) {
        String shown = input.length() > 40 ? input.substring(0, 40) + "…" : input;
        StringBuilder out = new StringBuilder("'");
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('\'').toString();
    }
}
