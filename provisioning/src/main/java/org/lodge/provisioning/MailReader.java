package org.lodge.provisioning;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Locale;

/** Who reads an e-mail: their address, language and time zone; formats dates and times for them. */
public record MailReader(String address, Locale locale, ZoneId zone) {

    /** A time in the reader's zone and language, with the zone named ("26 nov 2026, 07:12:33 CET"). */
    public String at(Instant time) {
        return time == null ? "–" : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM).withLocale(locale)
                .format(time.atZone(zone)) + " " + DateTimeFormatter.ofPattern("zzz", locale).format(time.atZone(zone));
    }

    /** A calendar day (an invoice's date) in the reader's language. */
    public String day(LocalDate day) {
        return day == null ? "–" : DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale).format(day);
    }
}
