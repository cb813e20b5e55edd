package org.lodge.provisioning;

import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Thrown when a unit or job does not exist, or exists for another tenant: both look the same. It
 * says what was looked for as a kind ("unit", message key {@code notfound.unit}) and the ids that
 * key's text names, so the API says it in the reader's language; the message is English, for logs.
 */
public class NotFoundException extends RuntimeException {

    private final String kind;
    private final transient Object[] ids;

    private final String what;

    private NotFoundException(String kind, Object[] ids) {
        this(kind, ids, Stream.concat(Stream.of(kind.replace('-', ' ')), Arrays.stream(ids).map(String::valueOf))
                .collect(Collectors.joining(" ")));
    }

    private NotFoundException(String kind, Object[] ids, String what) {
        super(what + " not found");
        this.kind = kind;
        this.ids = ids.clone();
        this.what = what;
    }

    /** {@code of("unit", id)}; a kind naming two things takes both ({@code of("template", name, node)}). */
    public static NotFoundException of(String kind, Object... ids) {
        return new NotFoundException(kind, ids);
    }

    /** What was looked for: its message key is "notfound." + kind. */
    public String kind() {
        return kind;
    }

    /** What was looked for in plain English ("unit 1f0c…"), where no bundle has the kind. */
    public String what() {
        return what;
    }

    /** The ids the kind's text names, in order. */
    public Object[] ids() {
        return ids.clone();
    }
}
