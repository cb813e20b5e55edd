package org.lodge.provisioning;

/** One field of the operator's input is unusable; the message says why and what is allowed. */
public class InvalidInputException extends RuntimeException {

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    /**
     * Shows user input inside a message without letting control or invisible formatting characters
     * (bidi overrides, joiners) through, so a message cannot be made to display misleadingly.
     */
    static String quote(String input) {
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
