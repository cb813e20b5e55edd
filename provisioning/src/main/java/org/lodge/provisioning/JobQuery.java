package org.lodge.provisioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One page of the jobs list: a search text (the unit's domain or part of it in Unicode or ASCII,
 * the unit's IPv4, or matching tenants, whose ids the caller found by name), filters (tenant,
 * state, kind, unit), a page, a size and a sort. Built only through {@link #of}, which refuses
 * what it cannot honour with a clear message.
 */
public record JobQuery(String text, List<UUID> tenantIds, JobFilter filter, int page, int size, String sort) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 200;
    public static final Set<String> SORTS = Set.of("-created", "created", "state", "kind", "unit");

    public static JobQuery of(String text, List<UUID> tenantIds, UUID tenant, String state, String kind, UUID unit,
                              Integer page, Integer size, String sort) {
        List<InvalidInputException> problems = new ArrayList<>();
        String q = SearchText.text(problems, text);
        JobState byState = SearchText.choice(problems, "state", state, JobState.class);
        JobKind byKind = SearchText.choice(problems, "kind", kind, JobKind.class);
        int p = SearchText.page(problems, page);
        int s = SearchText.size(problems, size, DEFAULT_SIZE, MAX_SIZE, "jobs");
        String order = SearchText.sort(problems, sort, "-created", SORTS);
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new JobQuery(q, tenantIds == null ? List.of() : List.copyOf(tenantIds),
                new JobFilter(tenant, byState, byKind, unit), p, s, order);
    }

    String ipv4() {
        return SearchText.ipv4(text);
    }

    String domainPattern() {
        return SearchText.domainPattern(text);
    }
}
