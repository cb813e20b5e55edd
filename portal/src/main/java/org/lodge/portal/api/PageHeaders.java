package org.lodge.portal.api;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The paged lists keep their body a plain JSON array (what clients already read) and say where
 * they are in headers: X-Total-Count, and a Link header (RFC 8288) to the next and previous pages.
 */
final class PageHeaders {

    private PageHeaders() {
    }

    static HttpHeaders of(long total, int page, int size) {
        HttpHeaders headers = new HttpHeaders();
        headers.add("X-Total-Count", Long.toString(total));
        headers.add("X-Page", Integer.toString(page));
        headers.add("X-Page-Size", Integer.toString(size));
        List<String> links = new ArrayList<>();
        if ((long) (page + 1) * size < total) {
            links.add(link(page + 1, size, "next"));
        }
        if (page > 0) {
            links.add(link(page - 1, size, "prev"));
        }
        if (!links.isEmpty()) {
            headers.add(HttpHeaders.LINK, String.join(", ", links));
        }
        return headers;
    }

    private static String link(int page, int size, String rel) {
        String uri = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("page", page)
                .replaceQueryParam("size", size).build().encode().toUriString();
        return "<" + uri + ">; rel=\"" + rel + "\"";
    }

    /** Tenant names are searched only for staff, and only for a text the query will accept anyway. */
    static boolean searchesTenants(boolean staff, String q, int maxText) {
        return staff && q != null && !q.isBlank() && q.strip().length() <= maxText;
    }
}
