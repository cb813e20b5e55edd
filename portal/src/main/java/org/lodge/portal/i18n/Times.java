package org.lodge.portal.i18n;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Times in pages ({@code ${@times.at(job.createdAt)}}): in the reader's time zone and language
 * (see UserLocale), e.g. "26 Nov 2026, 06:12:33" or "26 nov 2026, 06:12:33", never raw UTC ISO.
 */
@Component("times")
public class Times {

    // One formatter per language, made once: a page formats a time per row (50 on a list).
    private static final Map<Locale, DateTimeFormatter> DATE_TIMES = new ConcurrentHashMap<>();
    private static final Map<Locale, DateTimeFormatter> DATES = new ConcurrentHashMap<>();

    /** Date and time, or "–" for none. */
    public String at(Object time) {
        return format(time, DATE_TIMES.computeIfAbsent(LocaleContextHolder.getLocale(),
                locale -> DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)));
    }

    /** The date alone. */
    public String day(Object time) {
        return format(time, date(LocaleContextHolder.getLocale()));
    }

    private static DateTimeFormatter date(Locale locale) {
        return DATES.computeIfAbsent(locale, l -> DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(l));
    }

    private static String format(Object time, DateTimeFormatter formatter) {
        if (time == null) {
            return "–";
        }
        java.time.ZoneId zone = LocaleContextHolder.getTimeZone().toZoneId();
        TemporalAccessor shown = time instanceof Instant i ? i.atZone(zone)
                : time instanceof OffsetDateTime o ? o.atZoneSameInstant(zone)
                : time instanceof ZonedDateTime z ? z.withZoneSameInstant(zone)
                : time instanceof LocalDateTime || time instanceof LocalDate ? (TemporalAccessor) time
                : null;
        if (shown == null) {
            return time.toString();
        }
        if (shown instanceof LocalDate d) {
            return date(formatter.getLocale()).format(d);
        }
        return formatter.format(shown);
    }
}
