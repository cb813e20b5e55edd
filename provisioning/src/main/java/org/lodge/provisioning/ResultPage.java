package org.lodge.provisioning;

import java.util.List;

/** One page of a paged list (units, jobs) and how many items there are in all for the same search and filters. */
public record ResultPage<T>(List<T> items, int page, int size, long total) {

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return (long) (page + 1) * size < total;
    }
}
