package org.lodge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JVM running the embedded database killed with SIGKILL comes back at once when started
 * again: over its orphaned postmaster (still serving), and over a {@code postmaster.pid} whose
 * processes were killed too.
 */
class RestartAfterKillTest {

    private static final Logger log = LoggerFactory.getLogger(RestartAfterKillTest.class);
    private static final Duration COME_BACK = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private Process child;

    @Test
    void comesBackAfterKillNineOfTheJvmAndOverItsOrphanedPostmaster() throws Exception {
        Path data = dir.resolve("pg");
        startedWithin(Duration.ofMinutes(2), data);
        child.destroyForcibly().waitFor();
        ProcessHandle orphan = postmaster(data);
        assertThat(orphan.isAlive()).as("the postmaster outlives its JVM").isTrue();

        int port = startedWithin(COME_BACK, data);
        assertThat(orphan.isAlive()).as("the orphan was stopped").isFalse();
        assertAnswers(port);
    }

    @Test
    void comesBackAfterKillNineOfEverything() throws Exception {
        Path data = dir.resolve("pg");
        startedWithin(Duration.ofMinutes(2), data);
        ProcessHandle postmaster = postmaster(data);
        child.destroyForcibly().waitFor();
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly();
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        assertThat(data.resolve("postmaster.pid")).as("left behind by the killed postmaster").exists();

        assertAnswers(startedWithin(COME_BACK, data));
    }

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            // SIGTERM: the child's shutdown hook stops its postmaster cleanly.
            child.destroy();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Starts the child on {@code data} and returns the database's port once it is ready. */
    private int startedWithin(Duration limit, Path data) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        long started = System.nanoTime();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseChild.class.getName(), data.toString(), dir.resolve("pg.password").toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
        String ready = CompletableFuture.supplyAsync(() -> readyLine(out)).get(limit.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        log.info("embedded database ready in {} ms", took.toMillis());
        assertThat(took).isLessThan(limit);
        CompletableFuture.runAsync(() -> drain(out));
        return Integer.parseInt(ready.substring("READY ".length()));
    }

    private static String readyLine(BufferedReader out) {
        try {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("READY ")) {
                    return line;
                }
                log.debug("child: {}", line);
            }
            throw new IllegalStateException("the child ended before its database was ready");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void drain(BufferedReader out) {
        try {
            while (out.readLine() != null) {
                // Keep the child's pipe from filling up.
            }
        } catch (IOException closed) {
            // The child is gone.
        }
    }

    private static ProcessHandle postmaster(Path data) throws IOException {
        long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    private void assertAnswers(int port) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", SecuredPostgres.SUPERUSER);
        credentials.setProperty("password", Files.readString(dir.resolve("pg.password")).strip());
        try (Connection connection = DriverManager.getConnection(SecuredPostgres.jdbcUrl(port), credentials)) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }
}
