package org.lodge.provisioning;

import com.ibm.icu.text.IDNA;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The checks and the search-text reading shared by the paged lists (units, jobs): each check adds
 * a plain message for its parameter, so one 400 names everything that was wrong.
 */
final class SearchText {

    static final int MAX_TEXT = 253;
    static final int MAX_PAGE = 1_000_000;
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final IDNA LABELS = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII);

    private SearchText() {
    }

    static String text(List<InvalidInputException> problems, String text) {
        String q = text == null ? "" : text.strip();
        if (q.length() > MAX_TEXT || q.chars().anyMatch(Character::isISOControl)) {
            problems.add(new InvalidInputException("q", "a search has at most " + MAX_TEXT + " printable characters",
                    "query.text", MAX_TEXT));
            return "";
        }
        return q;
    }

    static int page(List<InvalidInputException> problems, Integer page) {
        int p = page == null ? 0 : page;
        if (p < 0 || p > MAX_PAGE) {
            problems.add(new InvalidInputException("page", "a page number is 0 to " + MAX_PAGE + " (the first page is 0)",
                    "query.page", MAX_PAGE));
        }
        return p;
    }

    static int size(List<InvalidInputException> problems, Integer size, int defaultSize, int max, String what) {
        int s = size == null ? defaultSize : size;
        if (s < 1 || s > max) {
            problems.add(new InvalidInputException("size", "a page has 1 to " + max + " " + what, "query.size." + what,
                    max));
        }
        return s;
    }

    static String sort(List<InvalidInputException> problems, String sort, String defaultSort, Set<String> allowed) {
        String order = sort == null || sort.isBlank() ? defaultSort : sort.strip();
        if (!allowed.contains(order)) {
            String sorts = String.join(", ", allowed.stream().sorted().toList());
            problems.add(new InvalidInputException("sort", "sort by one of " + sorts, "query.sort", sorts));
        }
        return order;
    }

    /** An enum value as typed, in any case ("running", "JAIL"); blank means none. */
    static <E extends Enum<E>> E choice(List<InvalidInputException> problems, String field, String text, Class<E> type) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
            problems.add(new InvalidInputException(field, "one of " + allowed, "query.choice", allowed));
            return null;
        }
    }

    /** The text as an IPv4 address, when it is one. */
    static String ipv4(String text) {
        return IPV4.matcher(text).matches() ? text : null;
    }

    /**
     * The text as stored domains spell it: lower case, and each whole Unicode label in its ASCII
     * (punycode) form, so "caffè-roma" finds xn--caff-roma-33a.it. A part of a Unicode label finds
     * nothing (punycode has no substrings), an ASCII part does.
     */
    static String domainPattern(String text) {
        StringBuilder ascii = new StringBuilder();
        for (String label : text.toLowerCase(Locale.ROOT).split("\\.", -1)) {
            if (label.chars().allMatch(c -> c < 128)) {
                ascii.append(label);
            } else {
                StringBuilder out = new StringBuilder();
                IDNA.Info info = new IDNA.Info();
                LABELS.labelToASCII(label, out, info);
                ascii.append(info.hasErrors() ? label : out);
            }
            ascii.append('.');
        }
        ascii.setLength(ascii.length() - 1);
        return "%" + ascii.toString().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
