package org.lodge.provisioning;

import static org.lodge.provisioning.InvalidInputException.quote;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.text.UnicodeSet;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Refuses labels built to imitate another name (UTS #39 through ICU's {@link SpoofChecker}):
 * characters outside the set recommended for identifiers (emoji, symbols, obsolete scripts),
 * scripts mixed in one label ({@code exаmple} with a Cyrillic а), and labels written wholly in
 * another script that look exactly like a Latin name ({@code раура} in Cyrillic). A label of one
 * script, or Latin with Chinese, Japanese or Korean, passes.
 */
final class DomainLookAlikes {

    /** UTS #39's recommended identifier characters plus the hyphen, which domain labels also use. */
    private static final UnicodeSet ALLOWED = new UnicodeSet(SpoofChecker.RECOMMENDED).add('-').freeze();
    private static final SpoofChecker CHECKER = new SpoofChecker.Builder()
            .setAllowedChars(ALLOWED)
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
            .setChecks(SpoofChecker.CHAR_LIMIT | SpoofChecker.RESTRICTION_LEVEL | SpoofChecker.INVISIBLE
                    | SpoofChecker.MIXED_NUMBERS | SpoofChecker.HIDDEN_OVERLAY)
            .build();
    private static final Pattern ASCII_LABEL = Pattern.compile("[a-z0-9-]+");

    private DomainLookAlikes() {
    }

    /** {@code labels} are in Unicode (after IDNA mapping). */
    static void check(String[] labels) {
        for (String label : labels) {
            SpoofChecker.CheckResult result = new SpoofChecker.CheckResult();
            if (CHECKER.failsChecks(label, result)) {
                throw explain(label, result.checks);
            }
            String skeleton = CHECKER.getSkeleton(label);
            if (!ASCII_LABEL.matcher(label).matches() && ASCII_LABEL.matcher(skeleton).matches()) {
                throw DomainName.invalid("the label " + quote(label) + " is written in " + scripts(label)
                        + " letters that look exactly like the Latin name '" + skeleton + "'; look-alike names"
                        + " are refused because they are used to imitate other sites", "domain.lookalike.skeleton",
                        quote(label), scripts(label), skeleton, scriptList(label));
            }
        }
    }

    private static InvalidInputException explain(String label, int failed) {
        String the = "the label " + quote(label);
        if ((failed & SpoofChecker.CHAR_LIMIT) != 0) {
            String character = label.codePoints().filter(c -> !ALLOWED.contains(c)).mapToObj(DomainLookAlikes::describe)
                    .findFirst().orElse("a character");
            return DomainName.invalid(the + " contains " + character + ", which is not a letter or digit used in"
                    + " domain names (emoji, symbols and historic scripts are refused)", "domain.lookalike.character",
                    quote(label), character);
        }
        if ((failed & SpoofChecker.RESTRICTION_LEVEL) != 0) {
            return DomainName.invalid(the + " mixes " + scripts(label) + " letters; a label must be written in one"
                    + " script (Latin may be combined with Chinese, Japanese or Korean), because mixed scripts are used"
                    + " to imitate other names", "domain.lookalike.scripts", quote(label), scripts(label), scriptList(label));
        }
        if ((failed & SpoofChecker.MIXED_NUMBERS) != 0) {
            return DomainName.invalid(the + " mixes digits of different number systems", "domain.lookalike.digits",
                    quote(label));
        }
        return DomainName.invalid(the + " contains accents stacked or hidden in a way used to imitate other names",
                "domain.lookalike.hidden", quote(label));
    }

    /** The scripts of a label's letters in words, e.g. "Cyrillic and Latin". */
    private static String scripts(String label) {
        TreeSet<String> names = scriptNames(label);
        if (names.size() <= 1) {
            return names.isEmpty() ? "non-Latin" : names.first();
        }
        String last = names.pollLast();
        return String.join(", ", names) + " and " + last;
    }

    /** The scripts without an English "and" (e.g. "Cyrillic, Latin"), for the other languages' messages. */
    private static String scriptList(String label) {
        TreeSet<String> names = scriptNames(label);
        return names.isEmpty() ? "?" : String.join(", ", names);
    }

    private static TreeSet<String> scriptNames(String label) {
        TreeSet<String> names = new TreeSet<>();
        label.codePoints().map(UScript::getScript)
                .filter(s -> s != UScript.COMMON && s != UScript.INHERITED && s != UScript.UNKNOWN)
                .forEach(s -> names.add(UScript.getName(s).replace('_', ' ')));
        return names;
    }

    /** A character as a person can identify it, even when it is invisible. */
    static String describe(int c) {
        String code = String.format(Locale.ROOT, "U+%04X", c);
        String name = UCharacter.getName(c);
        boolean visible = Character.isLetterOrDigit(c) || Character.getType(c) == Character.OTHER_SYMBOL
                || Character.getType(c) == Character.MATH_SYMBOL || Character.getType(c) == Character.OTHER_PUNCTUATION
                || Character.getType(c) == Character.CONNECTOR_PUNCTUATION;
        String shown = visible ? "'" + new String(Character.toChars(c)) + "' " : "";
        return shown + "(" + code + (name == null ? "" : " " + name.toLowerCase(Locale.ROOT)) + ")";
    }
}
