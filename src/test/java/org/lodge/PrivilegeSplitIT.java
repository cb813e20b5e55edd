package org.lodge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lodge.support.TestNetworkCleanup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * {@code ./lodge run}'s privilege split for real, from the packaged jar (so it runs in failsafe's
 * integration-test phase, after {@code package}): the portal answers as the unprivileged user
 * {@code lodge} and runs the embedded PostgreSQL as that user; the root worker connects with the
 * password file and registers its node (on the test network, removed afterwards).
 */
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
class PrivilegeSplitIT {

    private static final Logger log = LoggerFactory.getLogger(PrivilegeSplitIT.class);
    private static final Duration STARTUP = Duration.ofMinutes(6);

    private Process lodge;
    private Path home;
    private Path data;
    private int webPort;
    private int dbPort;
    private String node;

    @Test
    void portalRunsAsTheLodgeUserAndTheRootWorkerRegistersItsNodeAndAllComesBackAfterKillNine() throws Exception {
        // Open like a real install's directory: the portal's user must reach its data inside.
        home = Files.createTempDirectory("lodge-split-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        data = home.resolve("data/postgres");
        webPort = freePort();
        dbPort = freePort();
        node = "split-" + UUID.randomUUID().toString().substring(0, 8);
        long started = System.nanoTime();
        lodge = start("privilege-split.log");

        String login = awaitLoginPage(webPort);
        log.info("portal answered after {} s", Duration.ofNanos(System.nanoTime() - started).toSeconds());
        assertThat(login).contains("password");

        int lodgeUid = (Integer) Files.getAttribute(data, "unix:uid");
        assertThat(Files.getOwner(data).getName()).isEqualTo("lodge");
        assertThat(lodgeUid).isNotZero();
        ProcessHandle portal = child("--lodge.embedded-db.mode=start");
        assertThat(uids(portal.pid())).as("real, effective, saved, fs uid of the portal").containsOnly(lodgeUid);
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
        assertThat(uids(postmaster)).as("PostgreSQL runs as the portal's user").containsOnly(lodgeUid);
        assertThat(uids(child("--lodge.embedded-db.mode=connect").pid())).as("the worker is root").containsOnly(0);

        assertThat(awaitNode(dbPort, Path.of(data + ".password"), node, java.time.Instant.EPOCH)).isTrue();

        // Everything killed at once, as a power cut or the OOM killer would: the script, both
        // JVMs and PostgreSQL. Started again right away, it comes back (stale postmaster.pid).
        List<ProcessHandle> everything = new java.util.ArrayList<>(lodge.descendants().toList());
        everything.add(lodge.toHandle());
        everything.add(ProcessHandle.of(postmaster).orElseThrow());
        everything.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : everything) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
        java.time.Instant killed = java.time.Instant.now();
        long restarted = System.nanoTime();
        lodge = start("privilege-split-restart.log");
        awaitLoginPage(webPort);
        long portalBack = System.nanoTime();
        assertThat(awaitNode(dbPort, Path.of(data + ".password"), node, killed)).as("the worker reports again").isTrue();
        // A figure for docs/benchmarks.md, not a timed assertion.
        log.info("after kill -9 of everything: portal answered after {} ms, worker reported after {} ms",
                Duration.ofNanos(portalBack - restarted).toMillis(), Duration.ofNanos(System.nanoTime() - restarted).toMillis());
    }

    private Process start(String logName) throws IOException {
        ProcessBuilder run = new ProcessBuilder(Path.of("provisioning/host/run-split.sh").toAbsolutePath().toString(),
                "target/lodge.jar",
                "--spring.config.additional-location=file:" + Path.of("src/test/resources/application-test.yml").toAbsolutePath(),
                "--lodge.node.name=" + node)
                .redirectErrorStream(true).redirectOutput(Path.of("target", logName).toAbsolutePath().toFile());
        run.environment().putAll(java.util.Map.of("LODGE_DATA", data.toString(), "LODGE_PORT", Integer.toString(webPort),
                "LODGE_DB_PORT", Integer.toString(dbPort)));
        return run.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (lodge != null) {
            lodge.destroy();
            if (!lodge.waitFor(2, TimeUnit.MINUTES)) {
                lodge.descendants().forEach(ProcessHandle::destroyForcibly);
                lodge.destroyForcibly();
            }
        }
        if (home != null) {
            FileSystemUtils.deleteRecursively(home);
        }
    }

    private String awaitLoginPage(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .timeout(Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(lodge.isAlive()).as("run-split.sh is running (see target/privilege-split.log)").isTrue();
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return response.body();
                }
            } catch (IOException notYet) {
                // Still starting.
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the portal did not answer within " + STARTUP);
    }

    /** Waits until the node's worker has reported (its heartbeat) after {@code since}. */
    private boolean awaitNode(int dbPort, Path passwordFile, String node, java.time.Instant since) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", SecuredPostgres.SUPERUSER);
        credentials.setProperty("password", Files.readString(passwordFile).strip());
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try (Connection db = DriverManager.getConnection(SecuredPostgres.jdbcUrl(dbPort), credentials);
             PreparedStatement registered = db.prepareStatement(
                     "select count(*) from node where name = ? and heartbeat_at > ?")) {
            registered.setString(1, node);
            registered.setTimestamp(2, java.sql.Timestamp.from(since));
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = registered.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 1) {
                        return true;
                    }
                }
                Thread.sleep(250);
            }
        }
        return false;
    }

    private ProcessHandle child(String marker) {
        return lodge.descendants().filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no process with " + marker));
    }

    /** The four uids of the {@code Uid:} line of {@code /proc/<pid>/status}. */
    private static List<Integer> uids(long pid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
        return java.util.Arrays.stream(line.substring(4).trim().split("\\s+")).map(Integer::valueOf).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
