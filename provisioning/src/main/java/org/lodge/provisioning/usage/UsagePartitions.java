package org.lodge.provisioning.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The partitions of the usage tables (V21): raw samples by UTC day, roll-ups by UTC month. Made
 * ahead of time (and on demand before an insert that would find none), and dropped whole once
 * past their retention: old data leaves with a DROP TABLE, never with a DELETE, so the tables
 * stay as cheap at year five as at week one. Every partition gets the tenant row security of
 * its parent (SQL function {@code usage_create_partition}).
 */
@Component
public class UsagePartitions {

    private static final Logger log = LoggerFactory.getLogger(UsagePartitions.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
    /** Our partitions' names; nothing else is ever dropped. */
    private static final Pattern NAME = Pattern.compile("(usage_sample|usage_5m|usage_hour)_p(\\d{6}|\\d{8})");

    private final JdbcClient jdbc;
    private final UsageProperties props;
    /**
     * The UTC days whose partitions are known to exist (saves a round trip per insert). A set, not
     * the last day ready: a batch may hold a sample stamped before the first day made, as one taken
     * at 23:59 and stored after midnight on a new database.
     */
    private final Set<LocalDate> ready = ConcurrentHashMap.newKeySet();

    public UsagePartitions(JdbcClient jdbc, UsageProperties props) {
        this.jdbc = jdbc;
        this.props = props;
    }

    /** Makes sure rows stamped {@code at} have a partition at every level. */
    public void ensureFor(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        if (!ready.contains(day)) {
            ensure(at);
        }
    }

    /** Creates what is missing from {@code now}'s day to {@code daysAhead} days later; the names created. */
    public List<String> ensure(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<String> created = new ArrayList<>();
        LocalDate last = today.plusDays(props.daysAhead());
        for (LocalDate day = today; !day.isAfter(last); day = day.plusDays(1)) {
            create("usage_sample", "usage_sample_p" + DAY.format(day), day, day.plusDays(1), created);
        }
        for (YearMonth month = YearMonth.from(today); !month.isAfter(YearMonth.from(last).plusMonths(1));
                month = month.plusMonths(1)) {
            LocalDate first = month.atDay(1);
            create("usage_5m", "usage_5m_p" + MONTH.format(month), first, first.plusMonths(1), created);
            create("usage_hour", "usage_hour_p" + MONTH.format(month), first, first.plusMonths(1), created);
        }
        today.datesUntil(last.plusDays(1)).forEach(ready::add);
        if (!created.isEmpty()) {
            log.info("usage partitions created: {}", created);
        }
        return created;
    }

    private void create(String parent, String name, LocalDate from, LocalDate to, List<String> created) {
        boolean made = jdbc.sql("select usage_create_partition(:parent, :name, :from, :to)")
                .param("parent", parent).param("name", name)
                .param("from", from.atStartOfDay().atOffset(ZoneOffset.UTC))
                .param("to", to.atStartOfDay().atOffset(ZoneOffset.UTC))
                .query(Boolean.class).single();
        if (made) {
            created.add(name);
        }
    }

    /** Drops every partition whose whole range is older than its level's retention; the names dropped. */
    public List<String> dropExpired(Instant now) {
        List<String> dropped = new ArrayList<>();
        for (String name : partitions()) {
            Matcher m = NAME.matcher(name);
            if (!m.matches()) {
                continue;
            }
            Instant end = end(m.group(2));
            Instant cutoff = now.minus(switch (m.group(1)) {
                case "usage_sample" -> props.rawRetention();
                case "usage_5m" -> props.fiveMinuteRetention();
                default -> props.hourlyRetention();
            });
            if (!end.isAfter(cutoff)) {
                // The name matched our pattern above: it is safe to quote as an identifier.
                jdbc.sql("drop table if exists \"" + name + "\"").update();
                dropped.add(name);
            }
        }
        if (!dropped.isEmpty()) {
            ready.clear();
            log.info("usage partitions dropped past retention: {}", dropped);
        }
        return dropped;
    }

    /** The partitions of the three usage tables, oldest first. */
    public List<String> partitions() {
        return jdbc.sql("""
                select c.relname from pg_inherits i
                  join pg_class c on c.oid = i.inhrelid
                  join pg_class p on p.oid = i.inhparent
                 where p.relname in ('usage_sample', 'usage_5m', 'usage_hour')
                 order by c.relname""").query(String.class).list();
    }

    /** The exclusive end of a partition from its name's date (a day or a month). */
    private static Instant end(String stamp) {
        if (stamp.length() == 8) {
            return LocalDate.parse(stamp, DAY).plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return YearMonth.parse(stamp, MONTH).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
