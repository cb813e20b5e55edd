package org.lodge.provisioning;

import java.net.IDN;
import java.util.Locale;
import org.apache.commons.validator.routines.DomainValidator;
import org.apache.commons.validator.routines.InetAddressValidator;

/**
 * A fully qualified domain name, stored in its ASCII (punycode) form. IDN input is converted
 * by {@link IDN}; the result must pass commons-validator's syntax rules for each label. Any
 * syntactically valid TLD is accepted (ISPs host new gTLDs and reserved test TLDs alike).
 */
public record DomainName(String ascii) {

    private static final int MAX_LENGTH = 253;
    private static final int MAX_LABEL = 63;
    private static final DomainValidator LABELS = DomainValidator.getInstance(true);

    public static DomainName parse(String input) {
        if (input == null || input.isBlank()) {
            throw invalid("a domain name is required, e.g. www.example.com");
        }
        if (input.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid(InvalidInputException.quote(input) + " contains control characters");
        }
        String text = input.strip();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.codePoints().anyMatch(Character::isWhitespace)) {
            throw invalid(InvalidInputException.quote(input) + " contains spaces");
        }
        checkLengths(text);
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid(InvalidInputException.quote(input) + " is not a valid domain name: only letters, digits"
                    + " and hyphens in dot-separated labels (IDN allowed)");
        }
        checkLengths(ascii);
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw invalid(InvalidInputException.quote(input) + " is a single label; write a full name like example.com");
        }
        for (String label : labels) {
            if (label.isEmpty()) {
                throw invalid(InvalidInputException.quote(input) + " has an empty label (two dots in a row?)");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw invalid("the label " + InvalidInputException.quote(label) + " starts or ends with a hyphen");
            }
        }
        if (InetAddressValidator.getInstance().isValid(ascii)) {
            throw invalid(InvalidInputException.quote(input) + " is an IP address, not a domain name");
        }
        String tld = labels[labels.length - 1];
        if (!tld.startsWith("xn--") && !tld.chars().allMatch(Character::isLetter) || tld.length() < 2) {
            throw invalid("the top-level domain " + InvalidInputException.quote(tld) + " must be letters (or an IDN)");
        }
        // The validator checks label syntax; its TLD list is not used (see class comment).
        String checked = ascii.substring(0, ascii.length() - tld.length()) + "com";
        if (!LABELS.isValid(checked)) {
            throw invalid(InvalidInputException.quote(input) + " is not a valid domain name");
        }
        return new DomainName(ascii);
    }

    /** Checked before and after IDN conversion: IDN refuses over-long input without saying so. */
    private static void checkLengths(String name) {
        if (name.length() > MAX_LENGTH) {
            throw invalid("the domain has " + name.length() + " characters; at most " + MAX_LENGTH + " are allowed");
        }
        for (String label : name.split("\\.")) {
            if (label.length() > MAX_LABEL) {
                throw invalid("the label " + InvalidInputException.quote(label) + " has " + label.length()
                        + " characters; a label has at most " + MAX_LABEL);
            }
        }
    }

    /** The name as people read it (IDN in Unicode). */
    public String unicode() {
        return IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES);
    }

    @Override
    public String toString() {
        return ascii;
    }

    private static InvalidInputException invalid(String message) {
        return new InvalidInputException("domain", message);
    }
}
