package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lodge.provisioning.backup.BackupRetention.Candidate;
import org.lodge.provisioning.backup.BackupRetention.Policy;
import org.lodge.provisioning.backup.BackupRetention.Verdict;

/**
 * The prune, table-driven: each row is a policy, a unit's backups ("time [verified] [protected]")
 * and the times that must survive. Policies are written last/hourly/daily/weekly/monthly/yearly.
 */
class BackupRetentionTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    static Stream<Arguments> table() {
        return Stream.of(
                row("keep-last takes the newest N", "3/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z", "2026-11-04T10:00Z",
                                "2026-11-05T10:00Z"),
                        List.of("2026-11-03T10:00Z", "2026-11-04T10:00Z", "2026-11-05T10:00Z")),
                row("no rule at all keeps everything", "0/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z"),
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z")),
                row("keep-daily keeps the newest backup of each day", "0/0/3/0/0/0", UTC,
                        List.of("2026-11-01T08:00Z", "2026-11-01T20:00Z", "2026-11-02T08:00Z", "2026-11-02T20:00Z",
                                "2026-11-03T08:00Z", "2026-11-03T20:00Z", "2026-11-04T08:00Z", "2026-11-04T20:00Z"),
                        List.of("2026-11-02T20:00Z", "2026-11-03T20:00Z", "2026-11-04T20:00Z")),
                row("gaps in days: keep-daily counts days that have backups, not calendar days", "0/0/3/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-05T10:00Z", "2026-11-09T10:00Z"),
                        List.of("2026-11-02T10:00Z", "2026-11-05T10:00Z", "2026-11-09T10:00Z")),
                row("keep-daily goes on past the day keep-last already covered", "1/0/2/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T08:00Z", "2026-11-03T20:00Z"),
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T20:00Z")),
                row("keep-hourly: one per hour", "0/2/0/0/0/0", UTC,
                        List.of("2026-11-01T10:05Z", "2026-11-01T10:55Z", "2026-11-01T11:10Z", "2026-11-01T11:40Z",
                                "2026-11-01T12:00Z"),
                        List.of("2026-11-01T11:40Z", "2026-11-01T12:00Z")),
                row("keep-weekly uses ISO weeks across a year end", "0/0/0/2/0/0", UTC,
                        List.of("2025-12-27T10:00Z", "2025-12-29T10:00Z", "2026-01-02T10:00Z"),
                        List.of("2025-12-27T10:00Z", "2026-01-02T10:00Z")),
                row("gaps in months: keep-monthly counts months with backups", "0/0/0/0/3/0", UTC,
                        List.of("2026-01-15T10:00Z", "2026-03-01T10:00Z", "2026-03-20T10:00Z", "2026-07-04T10:00Z",
                                "2026-11-02T10:00Z"),
                        List.of("2026-03-20T10:00Z", "2026-07-04T10:00Z", "2026-11-02T10:00Z")),
                row("keep-yearly keeps the newest of each year", "0/0/0/0/0/2", UTC,
                        List.of("2024-06-01T10:00Z", "2025-01-01T10:00Z", "2025-12-31T10:00Z", "2026-05-05T10:00Z"),
                        List.of("2025-12-31T10:00Z", "2026-05-05T10:00Z")),
                row("never the last verified: an older verified backup survives keep-last 1", "1/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z verified", "2026-11-02T10:00Z", "2026-11-03T10:00Z"),
                        List.of("2026-11-01T10:00Z", "2026-11-03T10:00Z")),
                row("never the last verified, even far older than every rule reaches", "0/0/2/0/0/0", UTC,
                        List.of("2025-01-01T10:00Z verified", "2026-01-01T10:00Z verified", "2026-11-02T10:00Z",
                                "2026-11-03T10:00Z"),
                        List.of("2026-01-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z")),
                row("only the newest verified is special: older verified ones follow the rules", "1/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z verified", "2026-11-02T10:00Z verified", "2026-11-03T10:00Z verified"),
                        List.of("2026-11-03T10:00Z")),
                row("protected: kept whatever the rules say", "1/0/0/0/0/0", UTC,
                        List.of("2026-01-01T10:00Z protected", "2026-11-02T10:00Z", "2026-11-03T10:00Z"),
                        List.of("2026-01-01T10:00Z", "2026-11-03T10:00Z")),
                row("protected counts for no rule: keep-last 2 still keeps two others", "2/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z",
                                "2026-11-04T10:00Z protected"),
                        List.of("2026-11-02T10:00Z", "2026-11-03T10:00Z", "2026-11-04T10:00Z")),
                row("protected beyond where every rule stopped", "0/0/1/0/0/0", UTC,
                        List.of("2020-01-01T10:00Z protected", "2026-11-02T10:00Z", "2026-11-03T10:00Z"),
                        List.of("2020-01-01T10:00Z", "2026-11-03T10:00Z")),
                row("a period the daily rule took is closed to the weekly rule", "0/0/1/2/0/0", UTC,
                        // Tue 2026-11-03 and Wed 2026-11-11 (two ISO weeks), two backups on the Wednesday.
                        List.of("2026-11-03T10:00Z", "2026-11-11T08:00Z", "2026-11-11T12:00Z"),
                        List.of("2026-11-03T10:00Z", "2026-11-11T12:00Z")),
                row("days are the node's local days", "0/0/2/0/0/0", ZoneId.of("Europe/Rome"),
                        // 22:30Z is 23:30 on the 25th in Rome, 23:30Z is 00:30 on the 26th.
                        List.of("2026-11-25T10:00Z", "2026-11-25T22:30Z", "2026-11-25T23:30Z"),
                        List.of("2026-11-25T22:30Z", "2026-11-25T23:30Z")),
                row("the same times in UTC fall on one day", "0/0/2/0/0/0", UTC,
                        List.of("2026-11-24T10:00Z", "2026-11-25T22:30Z", "2026-11-25T23:30Z"),
                        List.of("2026-11-24T10:00Z", "2026-11-25T23:30Z")),
                row("keep-last larger than the list keeps all", "10/0/0/0/0/0", UTC,
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z"),
                        List.of("2026-11-01T10:00Z", "2026-11-02T10:00Z")),
                row("no backups, no verdicts", "3/0/7/4/6/1", UTC, List.of(), List.of()),
                row("the rules together, PBS's order", "2/0/3/2/2/0", UTC,
                        List.of("2026-08-10T10:00Z", "2026-09-14T10:00Z", "2026-10-05T10:00Z", "2026-10-19T10:00Z",
                                "2026-10-30T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z", "2026-11-04T09:00Z",
                                "2026-11-04T10:00Z", "2026-11-05T10:00Z"),
                        // last 2: 11-05, 11-04 10:00; daily 3: 11-03, 11-02, 10-30; weekly 2 (W45, W44 taken):
                        // 10-19 (W43), 10-05 (W41); monthly 2 (11 and 10 taken): 09-14, 08-10.
                        List.of("2026-08-10T10:00Z", "2026-09-14T10:00Z", "2026-10-05T10:00Z", "2026-10-19T10:00Z",
                                "2026-10-30T10:00Z", "2026-11-02T10:00Z", "2026-11-03T10:00Z", "2026-11-04T10:00Z",
                                "2026-11-05T10:00Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void prunesLikeProxmoxBackupServer(String name, Policy policy, ZoneId zone, List<Candidate> backups,
                                       List<Instant> expectedKept) {
        List<Candidate> shuffled = new ArrayList<>(backups);
        java.util.Collections.reverse(shuffled);
        List<Verdict> verdicts = BackupRetention.decide(shuffled, policy, zone);
        Map<java.util.UUID, Instant> timeOf = backups.stream().collect(Collectors.toMap(Candidate::id, Candidate::time));
        assertThat(verdicts).hasSize(backups.size());
        assertThat(verdicts.stream().filter(Verdict::keep).map(v -> timeOf.get(v.id())).sorted().toList())
                .as(verdicts.toString()).isEqualTo(expectedKept);
        assertThat(verdicts.stream().map(v -> timeOf.get(v.id())).toList()).as("newest first")
                .isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    @Test
    void saysWhichRuleKeptEachBackup() {
        List<Candidate> backups = candidates(List.of("2026-11-01T10:00Z verified", "2026-11-02T10:00Z protected",
                "2026-11-03T10:00Z", "2026-11-04T10:00Z"));
        List<String> reasons = BackupRetention.decide(backups, new Policy(1, 0, 0, 0, 0, 0), UTC).stream()
                .map(Verdict::reason).toList();
        assertThat(reasons).containsExactly("keep-last", "kept by no rule", "protected", "newest verified backup");
    }

    @Test
    void refusesKeepValuesOutOfRange() {
        assertThatThrownBy(() -> new Policy(-1, 0, 0, 0, 0, 0)).hasMessageContaining("between 0 and 10000");
        assertThatThrownBy(() -> new Policy(0, 0, 0, 0, 0, 10_001)).hasMessageContaining("10001");
    }

    private static Arguments row(String name, String policy, ZoneId zone, List<String> backups, List<String> kept) {
        int[] n = Arrays.stream(policy.split("/")).mapToInt(Integer::parseInt).toArray();
        return Arguments.of(name, new Policy(n[0], n[1], n[2], n[3], n[4], n[5]), zone, candidates(backups),
                kept.stream().map(BackupRetentionTest::at).sorted().toList());
    }

    private static List<Candidate> candidates(List<String> rows) {
        Function<String, Candidate> parse = row -> {
            String[] words = row.split(" ");
            List<String> flags = List.of(words).subList(1, words.length);
            return new Candidate(UUID.nameUUIDFromBytes(words[0].getBytes()), at(words[0]),
                    flags.contains("verified"), flags.contains("protected"));
        };
        return rows.stream().map(parse).toList();
    }

    /** "2026-11-01T10:00Z" (minutes are enough for the table). */
    private static Instant at(String text) {
        return java.time.OffsetDateTime.parse(text).toInstant();
    }
}
