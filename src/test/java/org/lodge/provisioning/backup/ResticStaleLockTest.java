package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        Process killed = restic(props, "backup", "--stdin");
        killWhenItsLockIsWritten(killed, props);
        assertThat(locks(props)).as("left behind by the killed restic").isNotBlank();

        restic.check();
        assertThat(locks(props)).isBlank();
        assertThat(restic.backup(tree, "test", List.of("lodge-unit=stale")).snapshotId()).isNotBlank();
    }

    /**
     * A stale exclusive lock (a {@code check} or {@code prune} killed, as its worker was) makes
     * restic refuse the next backup at once: the backup removes the stale lock only then, and runs
     * again.
     */
    @Test
    void aBackupRefusedForAStaleExclusiveLockUnlocksAndRunsAgain() throws Exception {
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        Path tree = siteBackedUpOnce(restic);

        Path lockDir = Path.of(props.repository(), "locks");
        // A password change holds an exclusive lock while it waits for the new password on stdin.
        Process killed = restic(props, "key", "passwd");
        killWhenItsLockIsWritten(killed, props);
        assertThat(isEmpty(lockDir)).as("the killed restic's exclusive lock is left behind").isFalse();

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

    /** A restic on the test's repository, its stdin a pipe this test holds open. */
    private static Process restic(BackupProperties props, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of("/usr/bin/restic", "--repo", props.repository(),
                "--password-file", props.passwordFile(), "--cache-dir", props.cacheDir()));
        args.addAll(List.of(command));
        return new ProcessBuilder(args).redirectErrorStream(true).start();
    }

    /**
     * Kills the restic once its lock is whole in the repository: a lock file caught half written
     * is not a lock to restic (it ignores it, and never removes it either).
     */
    private static void killWhenItsLockIsWritten(Process running, BackupProperties props) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!lockReadable(props) && running.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(running.isAlive()).as("restic still holds its lock").isTrue();
        running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    private static boolean lockReadable(BackupProperties props) throws Exception {
        String ids = locks(props);
        return !ids.isBlank() && run(props, "--no-lock", "cat", "lock", ids.lines().findFirst().orElseThrow()) == 0;
    }

    private static String locks(BackupProperties props) throws Exception {
        Process list = restic(props, "--no-lock", "list", "locks");
        String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(list.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    private static int run(BackupProperties props, String... command) throws Exception {
        Process process = restic(props, command);
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
