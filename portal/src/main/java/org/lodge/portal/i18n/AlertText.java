package org.lodge.portal.i18n;

import org.lodge.provisioning.AlertDetail;
import org.lodge.provisioning.AlertLines;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Alerts on pages ({@code ${@alertText.line(a)}}) in the reader's language and time zone (see
 * UserLocale), said as their e-mails say them: provisioning's {@link AlertLines} does both.
 */
@Component("alertText")
public class AlertText {

    private final AlertLines lines;

    public AlertText(AlertLines lines) {
        this.lines = lines;
    }

    public String line(AlertDetail alert) {
        return lines.line(alert, LocaleContextHolder.getLocale(), LocaleContextHolder.getTimeZone().toZoneId());
    }

    /** The alert's kind in a few words ("disk nearly full"). */
    public String kind(AlertDetail alert) {
        return lines.kind(alert.kind(), LocaleContextHolder.getLocale());
    }
}
