package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.host.HostCommands;

/**
 * A restic killed with SIGKILL (as when its worker is) leaves its lock in the repository; restic
 * 0.14 then refuses {@code check} and {@code forget} until the lock is 30 minutes old. Lodge
 * removes such stale locks first (real restic, a repository in a temp directory, no Spring).
 */
class ResticStaleLockTest {

    @TempDir
    Path dir;

    @Test
    void aLockLeftByAKilledResticDoesNotStopTheNextCheckOrBackup() throws Exception {
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        Path tree = siteBackedUpOnce(restic);

        // A backup from a pipe that never ends holds its lock until it is killed.
        Process killed = new ProcessBuilder("/usr/bin/restic", "--repo", props.repository(), "--password-file",
                props.passwordFile(), "--cache-dir", props.cacheDir(), "backup", "--stdin").redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (locks(props).isBlank() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(locks(props)).as("the running restic's lock").isNotBlank();
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(locks(props)).as("left behind by the killed restic").isNotBlank();

        restic.check();
        assertThat(locks(props)).isBlank();
        assertThat(restic.backup(tree, "test", List.of("lodge-unit=stale")).snapshotId()).isNotBlank();
    }

    /**
     * A stale exclusive lock (a {@code check} killed, as its worker was) makes restic refuse the
     * next backup at once: the backup removes the stale lock only then, and runs again.
     */
    @Test
    void aBackupRefusedForAStaleExclusiveLockUnlocksAndRunsAgain() throws Exception {
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        Path tree = siteBackedUpOnce(restic);

        Path lockDir = Path.of(props.repository(), "locks");
        Process killed = new ProcessBuilder("/usr/bin/restic", "--repo", props.repository(), "--password-file",
                props.passwordFile(), "--cache-dir", props.cacheDir(), "check", "--read-data").start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (isEmpty(lockDir) && killed.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        // Killed the moment its lock exists: its check has only begun.
        killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(isEmpty(lockDir)).as("the killed check's exclusive lock is left behind").isFalse();

        Files.writeString(tree.resolve("index.html"), "<p>changed</p>");
        ResticRepository.Summary summary = restic.backup(tree, "test", List.of("lodge-unit=stale"));
        assertThat(summary.snapshotId()).isNotBlank();
        assertThat(summary.filesChanged()).isEqualTo(1);
        assertThat(isEmpty(lockDir)).as("the stale lock removed, the backup's own released").isTrue();
    }

    /** A one-page site, backed up once: the repository exists and holds a snapshot. */
    private Path siteBackedUpOnce(ResticRepository restic) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("index.html"), "<p>kept</p>");
        restic.backup(tree, "test", List.of("lodge-unit=stale"));
        return tree;
    }

    private BackupProperties props() {
        return new BackupProperties(dir.resolve("repo").toString(),
                dir.resolve("keys/restic.password").toString(), dir.resolve("cache").toString(),
                dir.resolve("work").toString(), "100%", Duration.ofMinutes(2), Duration.ofSeconds(30), 2,
                Duration.ofHours(1), "0 0 4 ? * SUN", Duration.ofDays(30));
    }

    private static boolean isEmpty(Path lockDir) throws Exception {
        try (var entries = Files.list(lockDir)) {
            return entries.findAny().isEmpty();
        }
    }

    private static String locks(BackupProperties props) throws Exception {
        Process list = new ProcessBuilder("/usr/bin/restic", "--repo", props.repository(), "--password-file",
                props.passwordFile(), "--cache-dir", props.cacheDir(), "--no-lock", "list", "locks").start();
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }
}
