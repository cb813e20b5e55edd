package org.lodge.provisioning.backup;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Which backups of one unit a prune keeps, the way Proxmox Backup Server decides it
 * ({@code prune.rs}, {@code mark_selections}): the rules keep-last, keep-hourly, keep-daily,
 * keep-weekly, keep-monthly and keep-yearly run in that order over the backups, newest first;
 * each keeps the newest backup of up to N periods (hours, days, ISO weeks, months, years, in the
 * node's zone) that no earlier rule already covered, and marks the other backups of a period it
 * took as removable, so a later rule cannot pick them. What no rule keeps is removed. Two rules of
 * our own come on top: a protected backup is never removed (and counts for no rule), and the
 * newest verified backup is never removed, so a prune can never delete the last good copy.
 * A policy with no rule at all keeps everything. Pure: no clock, no database.
 */
public final class BackupRetention {

    private BackupRetention() {
    }

    /** How many of each to keep; 0 means the rule is off. */
    public record Policy(int keepLast, int keepHourly, int keepDaily, int keepWeekly, int keepMonthly, int keepYearly) {

        public Policy {
            for (int n : new int[] {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly}) {
                if (n < 0 || n > 10_000) {
                    throw new IllegalArgumentException("a keep value is between 0 and 10000, not " + n);
                }
            }
        }

        /** Like {@code keep-last 3, keep-daily 7}; "no keep rule" when it keeps everything. */
        public String describe() {
            List<String> rules = new ArrayList<>();
            String[] names = {"keep-last", "keep-hourly", "keep-daily", "keep-weekly", "keep-monthly", "keep-yearly"};
            int[] values = {keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly};
            for (int i = 0; i < names.length; i++) {
                if (values[i] > 0) {
                    rules.add(names[i] + " " + values[i]);
                }
            }
            return rules.isEmpty() ? "no keep rule" : String.join(", ", rules);
        }

        boolean keepsAll() {
            return keepLast + keepHourly + keepDaily + keepWeekly + keepMonthly + keepYearly == 0;
        }
    }

    /** One finished backup as the prune sees it. */
    public record Candidate(UUID id, Instant time, boolean verified, boolean protectedFromPrune) {
    }

    /** The verdict on one backup and the rule that gave it. */
    public record Verdict(UUID id, boolean keep, String reason) {
    }

    /** The verdicts, newest backup first. */
    public static List<Verdict> decide(List<Candidate> backups, Policy policy, ZoneId zone) {
        List<Candidate> newestFirst = backups.stream()
                .sorted(Comparator.comparing(Candidate::time).reversed()).toList();
        Map<UUID, Verdict> marks = new LinkedHashMap<>();
        if (policy.keepsAll()) {
            newestFirst.forEach(b -> marks.put(b.id(), new Verdict(b.id(), true, "no retention rule: keep all")));
            return List.copyOf(marks.values());
        }
        mark(marks, newestFirst, policy.keepLast(), "keep-last", b -> b.id().toString());
        mark(marks, newestFirst, policy.keepHourly(), "keep-hourly", period(zone, t -> t.getYear() + "/"
                + t.getDayOfYear() + "/" + t.getHour()));
        mark(marks, newestFirst, policy.keepDaily(), "keep-daily", period(zone, t -> t.getYear() + "/" + t.getDayOfYear()));
        mark(marks, newestFirst, policy.keepWeekly(), "keep-weekly", period(zone, t -> t.get(IsoFields.WEEK_BASED_YEAR)
                + "/" + t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)));
        mark(marks, newestFirst, policy.keepMonthly(), "keep-monthly", period(zone, t -> t.getYear() + "/"
                + t.getMonthValue()));
        mark(marks, newestFirst, policy.keepYearly(), "keep-yearly", period(zone, t -> String.valueOf(t.getYear())));
        newestFirst.stream().filter(Candidate::verified).findFirst().ifPresent(last -> {
            if (!marks.containsKey(last.id()) || !marks.get(last.id()).keep()) {
                marks.put(last.id(), new Verdict(last.id(), true, "newest verified backup"));
            }
        });
        List<Verdict> verdicts = new ArrayList<>();
        for (Candidate b : newestFirst) {
            Verdict v = b.protectedFromPrune() ? new Verdict(b.id(), true, "protected") : marks.get(b.id());
            verdicts.add(v != null && v.keep() ? v : new Verdict(b.id(), false,
                    v == null ? "kept by no rule" : v.reason()));
        }
        return verdicts;
    }

    private static Function<Candidate, String> period(ZoneId zone, PeriodKey key) {
        return b -> key.of(b.time().atZone(zone));
    }

    /** PBS's mark_selections: the one loop every rule shares. */
    private static void mark(Map<UUID, Verdict> marks, List<Candidate> newestFirst, int keep, String rule,
                             Function<Candidate, String> periodOf) {
        if (keep == 0) {
            return;
        }
        Set<String> alreadyIncluded = new HashSet<>();
        for (Candidate b : newestFirst) {
            Verdict v = marks.get(b.id());
            if (v != null && v.keep() && !v.reason().equals("protected")) {
                alreadyIncluded.add(periodOf.apply(b));
            }
        }
        Set<String> included = new HashSet<>();
        for (Candidate b : newestFirst) {
            if (marks.containsKey(b.id())) {
                continue;
            }
            if (b.protectedFromPrune()) {
                marks.put(b.id(), new Verdict(b.id(), true, "protected"));
                continue;
            }
            String period = periodOf.apply(b);
            if (alreadyIncluded.contains(period)) {
                continue;
            }
            if (!included.contains(period)) {
                if (included.size() >= keep) {
                    break;
                }
                included.add(period);
                marks.put(b.id(), new Verdict(b.id(), true, rule));
            } else {
                marks.put(b.id(), new Verdict(b.id(), false, "older backup of a period " + rule + " took"));
            }
        }
    }

    @FunctionalInterface
    private interface PeriodKey {
        String of(ZonedDateTime time);
    }
}
