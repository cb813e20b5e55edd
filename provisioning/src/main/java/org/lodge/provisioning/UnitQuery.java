package org.lodge.provisioning;

import com.ibm.icu.text.IDNA;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One page of a units list: a search text (a domain or part of one, in Unicode or ASCII; an
 * IPv4 address; or matching tenants, whose ids the caller found by name), a page, a size and a
 * sort. Built only through {@link #of}, which refuses what it cannot honour with a clear message.
 */
public record UnitQuery(String text, List<UUID> tenantIds, int page, int size, String sort) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 200;
    public static final int MAX_TEXT = 253;
    public static final Set<String> SORTS = Set.of("domain", "-domain", "state", "created", "-created", "ipv4");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final IDNA LABELS = IDNA.getUTS46Instance(IDNA.NONTRANSITIONAL_TO_ASCII);

    public static UnitQuery of(String text, List<UUID> tenantIds, Integer page, Integer size, String sort) {
        List<InvalidInputException> problems = new ArrayList<>();
        String q = text == null ? "" : text.strip();
        if (q.length() > MAX_TEXT || q.chars().anyMatch(Character::isISOControl)) {
            problems.add(new InvalidInputException("q", "a search has at most " + MAX_TEXT + " printable characters",
                    "query.text", MAX_TEXT));
        }
        int p = page == null ? 0 : page;
        if (p < 0 || p > 1_000_000) {
            problems.add(new InvalidInputException("page", "a page number is 0 or more", "query.page"));
        }
        int s = size == null ? DEFAULT_SIZE : size;
        if (s < 1 || s > MAX_SIZE) {
            problems.add(new InvalidInputException("size", "a page has 1 to " + MAX_SIZE + " units", "query.size", MAX_SIZE));
        }
        String order = sort == null || sort.isBlank() ? "domain" : sort.strip();
        if (!SORTS.contains(order)) {
            String sorts = String.join(", ", SORTS.stream().sorted().toList());
            problems.add(new InvalidInputException("sort", "sort by one of " + sorts, "query.sort", sorts));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new UnitQuery(q, tenantIds == null ? List.of() : List.copyOf(tenantIds), p, s, order);
    }

    /** The text as an IPv4 address, when it is one. */
    String ipv4() {
        return IPV4.matcher(text).matches() ? text : null;
    }

    /**
     * The text as stored domains spell it: lower case, and each whole Unicode label in its ASCII
     * (punycode) form, so "caffè-roma" finds xn--caff-roma-33a.it. A part of a Unicode label finds
     * nothing (punycode has no substrings), an ASCII part does.
     */
    String domainPattern() {
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
