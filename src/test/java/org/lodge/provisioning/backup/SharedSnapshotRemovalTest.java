package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lodge.provisioning.BackupView;

/**
 * Which snapshots leave restic when backups are removed, table-driven: a backup taken with nothing
 * written since another shares that one's snapshot, so a snapshot a remaining backup still names
 * is never forgotten. Each row: the snapshots of the removed backups ("-" for none), those the
 * backups that stay name, and what is forgotten.
 */
class SharedSnapshotRemovalTest {

    static Stream<Arguments> table() {
        return Stream.of(
                row("one backup, its own snapshot", "s1", "", "s1"),
                row("its snapshot named by a backup that stays: kept", "s1", "s1", ""),
                row("both sharers removed together: forgotten once", "s1 s1", "", "s1"),
                row("two removed, one shared with a kept backup", "s1 s2", "s2", "s1"),
                row("a backup without a snapshot forgets nothing", "-", "", ""),
                row("a refused backup beside a shared one", "- s3", "s3", ""),
                row("three sharers, two removed, one kept", "s4 s4", "s4", ""),
                row("a kept backup naming another snapshot changes nothing", "s5", "s6", "s5"));
    }

    private static Arguments row(String name, String gone, String named, String forgotten) {
        return Arguments.of(name, words(gone), Set.copyOf(words(named)), words(forgotten));
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.split(" "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void forgetsOnlySnapshotsNoRemainingBackupNames(String name, List<String> gone, Set<String> named,
                                                    List<String> forgotten) {
        List<BackupView> rows = gone.stream().map(s -> new BackupView(UUID.randomUUID(), UUID.randomUUID(), "site.example.com",
                Instant.parse("2026-11-26T10:00:00Z"), "-".equals(s) ? null : s, 1L, 1L, 0L, 0, true, false, "OK",
                null, null)).toList();
        assertThat(BackupRemoval.toForget(rows, named)).containsExactlyElementsOf(forgotten);
    }
}
