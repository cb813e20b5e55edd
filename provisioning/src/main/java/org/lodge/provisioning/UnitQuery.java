package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One page of a units list: a search text (a domain or part of one, in Unicode or ASCII; an
 * IPv4 address; or matching tenants, whose ids the caller found by name), a page, a size and a
 * sort. Built only through {@link #of}, which refuses what it cannot honour with a clear message.
 */
public record UnitQuery(String text, List<UUID> tenantIds, int page, int size, String sort, UnitState state,
                        UnitKind kind) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 200;
    public static final int MAX_TEXT = SearchText.MAX_TEXT;
    public static final Set<String> SORTS = Set.of("domain", "-domain", "state", "created", "-created", "ipv4");

    public static UnitQuery of(String text, List<UUID> tenantIds, Integer page, Integer size, String sort) {
        return of(text, tenantIds, page, size, sort, null, null);
    }

    /** With filters by state and kind as typed ("running", "JAIL"); blank means any. */
    public static UnitQuery of(String text, List<UUID> tenantIds, Integer page, Integer size, String sort,
                               String state, String kind) {
        List<InvalidInputException> problems = new ArrayList<>();
        UnitState byState = SearchText.choice(problems, "state", state, UnitState.class);
        UnitKind byKind = SearchText.choice(problems, "kind", kind, UnitKind.class);
        String q = SearchText.text(problems, text);
        int p = SearchText.page(problems, page);
        int s = SearchText.size(problems, size, DEFAULT_SIZE, MAX_SIZE, "units");
        String order = SearchText.sort(problems, sort, "domain", SORTS);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new UnitQuery(q, tenantIds == null ? List.of() : List.copyOf(tenantIds), p, s, order, byState, byKind);
    }

    /** The text as an IPv4 address, when it is one. */
    String ipv4() {
        return SearchText.ipv4(text);
    }

    /** The text as a LIKE pattern over stored (ASCII) domains; see {@link SearchText#domainPattern}. */
    String domainPattern() {
        return SearchText.domainPattern(text);
    }
}
