package org.lodge.portal.i18n;

import java.util.regex.Pattern;

/**
 * What a customer may read of a job's log line: no host paths, no process ids, no host uid
 * ranges (staff read the line as it was logged). Provisioning already hides paths and the
 * details of warnings for customers; this also covers what its INFO lines say of the host.
 */
public final class CustomerLogText {

    private static final Pattern HOST_PATH = Pattern.compile("(?<![\\w/:])(/[\\w.@%+-]+){2,}/?");
    /** "init pid 4242 on the host", "pid=4242", "process 4242", "PID 4242". */
    private static final Pattern PID = Pattern.compile("(?i)\\b(pid|process(?: id)?)(\\s*[=:]?\\s*)-?\\d+(\\s+on the host)?");
    /** "host uids 100000–165535", "uid 100000-165535", "uids 100000:65536". */
    private static final Pattern UID_RANGE = Pattern.compile("(?i)\\b((?:host\\s+)?[ug]ids?)(\\s*[=:]?\\s*)\\d+\\s*[–:-]\\s*\\d+");

    private CustomerLogText() {
    }

    public static String of(String line) {
        if (line == null) {
            return null;
        }
        String text = HOST_PATH.matcher(line).replaceAll("[path]");
        text = PID.matcher(text).replaceAll("$1$2[hidden]");
        return UID_RANGE.matcher(text).replaceAll("$1$2[hidden]");
    }
}
