package org.lodge.provisioning;

import static org.lodge.provisioning.InvalidInputException.quote;

import com.ibm.icu.text.IDNA;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.validator.routines.DomainValidator;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * A fully qualified domain name as a registrar would accept it, stored in its ASCII (A-label)
 * form. Labels follow IDNA2008 through ICU's UTS #46 processing (non-transitional, hyphen, bidi
 * and joiner rules); an A-label must decode and encode back to itself; look-alikes are refused
 * by {@link DomainLookAlikes} (UTS #39); special-use names by {@link ReservedNames}; the
 * top-level domain must be in IANA's root zone (commons-validator's list).
 */
public record DomainName(String ascii) {

    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;
    /** Dots that UTS #46 maps to a full stop: the labels people typed are split on all of them. */
    private static final String DOTS = "[.\u3002\uFF0E\uFF61]";
    private static final IDNA IDNA2008 = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII
            | IDNA.NONTRANSITIONAL_TO_UNICODE | IDNA.CHECK_BIDI | IDNA.CHECK_CONTEXTJ | IDNA.CHECK_CONTEXTO
            | IDNA.USE_STD3_RULES);
    private static final DomainValidator IANA = DomainValidator.getInstance(false);

    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw invalid("a domain name is required, e.g. www.example.com", "domain.required");
        }
        if (input.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid("the domain " + quote(input) + " contains control characters", "domain.control", quote(input));
        }
        String text = input.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.codePoints().anyMatch(Character::isWhitespace)) {
            throw invalid("the domain " + quote(input) + " contains spaces", "domain.spaces", quote(input));
        }
        checkLengths(text);
        String ascii = toAscii(text, input);
        checkLengths(ascii);
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid("the domain " + quote(input) + " is a single label; write a full name like example.com",
                    "domain.single-label", quote(input));
        }
        if (InetAddressValidator.getInstance().isValid(ascii)) {
            throw invalid("the domain " + quote(input) + " is an IP address, not a domain name", "domain.ip-address",
                    quote(input));
        }
        String unicode = toUnicode(ascii);
        if (!unicode.equals(ascii) && !toAscii(unicode, input).equals(ascii)) {
            throw invalid("the domain " + quote(input) + " does not convert back to itself between its international"
                    + " and its encoded (xn--) form", "domain.round-trip", quote(input));
        }
        DomainLookAlikes.check(unicode.split("\\."));
        ReservedNames.check(ascii);
        String tld = labels[labels.length - 1];
        if (!IANA.isValidTld(tld) || !IANA.isValid(ascii)) {
            throw invalid("the top-level domain ." + toUnicode(tld) + " does not exist: it is not in IANA's list of"
                    + " top-level domains (such as .com, .org, .de or .рф)", "domain.tld", toUnicode(tld));
        }
        return new DomainName(ascii);
    }

    /**
     * A name read back from the database: it was checked when it was requested and is not checked
     * again, so that rules tightened later never make existing units unreadable.
     */
    public static DomainName stored(String ascii) {
        return new DomainName(ascii);
    }

    private static String toAscii(String text, String input) {
        StringBuilder out = new StringBuilder();
        IDNA.Info info = new IDNA.Info();
        IDNA2008.nameToASCII(text, out, info);
        if (!info.hasErrors()) {
            return out.toString().toLowerCase(Locale.ROOT);
        }
        // ICU reports errors for the whole name; find the label at fault to name it.
        for (String label : text.split(DOTS, -1)) {
            IDNA.Info labelInfo = new IDNA.Info();
            IDNA2008.labelToASCII(label, new StringBuilder(), labelInfo);
            if (labelInfo.hasErrors()) {
                throw explain(labelInfo.getErrors(), label);
            }
        }
        throw invalid("the domain " + quote(input) + " is not a valid international domain name: "
                + explain(info.getErrors(), null).getMessage(), "domain.idna", quote(input));
    }

    private static String toUnicode(String ascii) {
        StringBuilder out = new StringBuilder();
        IDNA2008.nameToUnicode(ascii, out, new IDNA.Info());
        return out.toString();
    }

    /** IDNA's error codes in words (and codes); {@code label} is null when the fault lies across labels (bidi). */
    private static InvalidInputException explain(Set<IDNA.Error> errors, String label) {
        String the = label == null ? "a label" : "the label " + quote(label);
        String shown = label == null ? "" : quote(label);
        if (errors.contains(IDNA.Error.EMPTY_LABEL)) {
            return invalid("the domain has an empty label (two dots in a row?)", "domain.label.empty");
        }
        if (errors.contains(IDNA.Error.PUNYCODE) || errors.contains(IDNA.Error.INVALID_ACE_LABEL)) {
            return invalid(the + " starts with xn-- but is not a valid encoded international name",
                    "domain.label.punycode", shown);
        }
        if (errors.contains(IDNA.Error.HYPHEN_3_4)) {
            return invalid(the + " has hyphens as its 3rd and 4th characters, which are reserved for encoded"
                    + " international names (xn--)", "domain.label.hyphen-3-4", shown);
        }
        if (errors.contains(IDNA.Error.LEADING_HYPHEN) || errors.contains(IDNA.Error.TRAILING_HYPHEN)) {
            return invalid(the + " starts or ends with a hyphen", "domain.label.hyphen", shown);
        }
        if (errors.contains(IDNA.Error.DISALLOWED)) {
            String what = label == null ? "a character" : disallowedIn(label);
            return invalid(the + " is not a valid domain name label: it contains " + what + ", which cannot appear"
                    + " in a domain name; use letters, digits and hyphens (letters of any language are allowed)",
                    "domain.label.disallowed", shown, what);
        }
        if (errors.contains(IDNA.Error.LEADING_COMBINING_MARK)) {
            return invalid(the + " starts with an accent that has no letter before it", "domain.label.combining-mark",
                    shown);
        }
        if (errors.contains(IDNA.Error.BIDI)) {
            return invalid(the + " mixes right-to-left and left-to-right text in a way that can display misleadingly",
                    "domain.label.bidi", shown);
        }
        if (errors.contains(IDNA.Error.CONTEXTJ)) {
            return invalid(the + " contains an invisible joiner character where it is not allowed",
                    "domain.label.contextj", shown);
        }
        if (errors.contains(IDNA.Error.CONTEXTO_DIGITS)) {
            return invalid(the + " mixes Arabic-Indic and Extended Arabic-Indic digits", "domain.label.contexto-digits",
                    shown);
        }
        if (errors.contains(IDNA.Error.CONTEXTO_PUNCTUATION)) {
            return invalid(the + " contains a punctuation mark outside the only context where it is allowed",
                    "domain.label.contexto-punctuation", shown);
        }
        return invalid(the + " is not a valid domain label", "domain.label.invalid", shown);
    }

    private static String disallowedIn(String label) {
        return label.codePoints().filter(c -> {
                    IDNA.Info info = new IDNA.Info();
                    IDNA2008.labelToASCII(new String(Character.toChars(c)), new StringBuilder(), info);
                    return info.getErrors().contains(IDNA.Error.DISALLOWED);
                })
                .mapToObj(DomainLookAlikes::describe).findFirst().orElse("a character");
    }

    /** Checked before and after IDN conversion: over-long input deserves its own message. */
    private static void checkLengths(String name) {
        if (name.length() > MAX_LENGTH) {
            throw invalid("the domain has " + name.length() + " characters; at most " + MAX_LENGTH + " are allowed",
                    "domain.too-long", String.valueOf(name.length()), String.valueOf(MAX_LENGTH));
        }
        for (String label : name.split("\\.")) {
            if (label.length() > MAX_LABEL) {
                throw invalid("the label " + quote(label) + " has " + label.length()
                        + " characters; a label has at most " + MAX_LABEL, "domain.label-too-long", quote(label),
                        String.valueOf(label.length()), String.valueOf(MAX_LABEL));
            }
        }
    }

    /** The name as people read it (IDN in Unicode). */
    public String unicode() {
        // Lists show 50 names per page: a name of lower-case letters, digits, dots and hyphens with no
        // A-label ("xn--") is already its Unicode form, so ICU is asked only about the others.
        return plainAscii(ascii) ? ascii : toUnicode(ascii);
    }

    private static boolean plainAscii(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return !name.startsWith("xn--") && !name.contains(".xn--");
    }

    @Override
    public String toString() {
        return ascii;
    }

    static InvalidInputException invalid(String message, String code, Object... args) {
        return new InvalidInputException("domain", message, code, args);
    }
}
