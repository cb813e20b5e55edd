package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lodge.SecuredPostgres;
import org.lodge.provisioning.NodeProperties;
import org.lodge.support.TestNetworkCleanup;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * Chaos: the node's worker, a separate process, is killed with SIGKILL at random moments while a
 * mixed batch of jobs runs (jail and VM creation, disk growth, stop, start, delete), and started
 * again each time. Afterwards every job has ended OK or KO, the doctor finds no orphan and no IPv4
 * is held twice. The portal (API, sweeper) runs in the test's JVM with its embedded PostgreSQL.
 *
 * <p>{@code ./lodge bench -Dtest=ChaosBenchmark} ({@code -Dchaos.kills=20 -Dchaos.seed=7} are the
 * defaults; the seed fixes the batch and the kill moments, not the machine's timing).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
@Tag("bench")
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
class ChaosBenchmark {

    private static final int KILLS = Integer.getInteger("chaos.kills", 20);
    private static final long SEED = Long.getLong("chaos.seed", 7);
    private static final Duration WORKER_START = Duration.ofMinutes(3);
    // A job of the batch takes seconds; a revived one waits for the stale limit (4 s in tests) first.
    private static final Duration DRAIN = Duration.ofMinutes(20);

    @LocalServerPort
    int port;
    @Autowired
    SecuredPostgres postgres;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    NodeProperties node;

    @Test
    void everyJobEndsAndNothingIsLeftBehindAfterRepeatedKills() throws Exception {
        BasicApi api = new BasicApi(port, "admin", "admin-password-for-tests");
        NodeChecks checks = new NodeChecks(jdbc, node.name());
        Random random = new Random(SEED);
        Instant began = Instant.now();
        StringBuilder report = new StringBuilder();
        List<Long> interrupted = new ArrayList<>();
        List<Long> restarts = new ArrayList<>();
        int kills = 0;
        Duration drained;
        List<NodeChecks.Stuck> stuck;
        NodeChecks.DoctorResult doctor;
        NodeChecks.DoctorResult before;
        List<String> duplicates;
        MixedBatch batch;
        try (WorkerProcess worker = new WorkerProcess(postgres.port(), passwordFile(),
                Path.of("target/chaos-worker.log").toAbsolutePath())) {
            restarts.add(worker.start(WORKER_START).toNanos());
            // What the node holds from before this run (other test runs' leftovers) is not this run's doing.
            before = checks.doctor(api, Duration.ofMinutes(5));
            assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).status()).isEqualTo(204);
            String tenant = api.post("/api/tenants", Map.of("name", "chaos-" + UUID.randomUUID().toString().substring(0, 6)))
                    .json().path("name").asText();
            batch = new MixedBatch(api, jdbc, SEED, tenant, 60 * KILLS, 6, Duration.ofMinutes(2L * KILLS + 5));
            Thread driver = new Thread(batch, "chaos-batch");
            driver.start();
            while (kills < KILLS && driver.isAlive()) {
                // After the worker is up: long enough for some jobs to end between kills, short enough to hit many mid-step.
                Thread.sleep(4000 + random.nextInt(20_000));
                interrupted.add((long) jdbc.sql("select count(*) from provisioning_job where state in ('RUNNING', 'COMPENSATING')")
                        .query(Integer.class).single());
                worker.kill();
                kills++;
                Thread.sleep(random.nextInt(2000));
                restarts.add(worker.start(WORKER_START).toNanos());
            }
            batch.stop();
            driver.join(Duration.ofMinutes(2).toMillis());
            long drainStart = System.nanoTime();
            stuck = checks.awaitAllEnded(DRAIN);
            drained = Duration.ofNanos(System.nanoTime() - drainStart);
            doctor = checks.doctor(api, Duration.ofMinutes(5));
            duplicates = checks.duplicateAddresses();

            report.append(String.format("seed %d; kills done: %d of %d; jobs running at each kill: total %d, max %d%n",
                    SEED, kills, KILLS, interrupted.stream().mapToLong(Long::longValue).sum(),
                    interrupted.stream().mapToLong(Long::longValue).max().orElse(0)));
            report.append(String.format("jobs revived by the sweeper: %d%n", checks.revivals(began)));
            report.append(String.format("worker start → node registered: p50 %.0f ms, p95 %.0f ms (%d starts)%n",
                    Percentiles.p(restarts, 50), Percentiles.p(restarts, 95), restarts.size()));
            report.append(String.format("time to drain after the last restart: %d s; jobs not ended: %d %s%n",
                    drained.toSeconds(), stuck.size(), stuck));
            report.append(String.format("doctor before the run: %s%n", before));
            report.append(String.format("doctor after the drain: %s; new orphans: %d%n", doctor,
                    doctor.newOrphans(before).size()));
            report.append(String.format("IPv4 held twice: %d %s%n", duplicates.size(), duplicates));
            report.append(String.format("why jobs ended KO: %s%n", checks.koReasons(began)));
            report.append(String.format("refused by the API (batch's own bookkeeping): %d %s%n%n",
                    batch.refusals().size(), batch.refusals()));
            report.append("| job kind | OK | KO | not ended |\n|---|---|---|---|\n");
            int ok = 0;
            int ko = 0;
            for (var e : checks.outcomes(began).entrySet()) {
                report.append(String.format("| %s | %d | %d | %d |%n", e.getKey(), e.getValue()[0], e.getValue()[1],
                        e.getValue()[2]));
                ok += e.getValue()[0];
                ko += e.getValue()[1];
            }
            report.append(String.format("| all | %d | %d | %d |%n", ok, ko, stuck.size()));
            report.append(String.format("%nclean-up: %s%n", cleanUp(api, checks)));
        }
        System.out.println("\n=== Lodge chaos benchmark ===\n" + report);
        Files.writeString(Path.of("target/chaos-benchmark.md"), report.toString());

        assertThat(batch.failure()).as("the batch ran to its end").isNull();
        assertThat(kills).isEqualTo(KILLS);
        assertThat(stuck).as("jobs neither OK nor KO").isEmpty();
        assertThat(doctor.state()).isEqualTo("OK");
        assertThat(doctor.newOrphans(before)).as("orphans the run left").isEmpty();
        assertThat(duplicates).isEmpty();
    }

    /** Deletes what the batch left (every unit: the database is the test's own), then asks the doctor again. */
    private String cleanUp(BasicApi api, NodeChecks checks) throws InterruptedException {
        List<String> deletions = new ArrayList<>();
        for (var unit : api.get("/api/units?size=200").json()) {
            BasicApi.Answer answer = api.post("/api/units/" + unit.path("id").asText() + "/actions/delete", null);
            if (answer.status() == 202) {
                deletions.add(answer.json().path("id").asText());
            }
        }
        List<NodeChecks.Stuck> open = checks.awaitAllEnded(Duration.ofMinutes(10));
        NodeChecks.DoctorResult after = checks.doctor(api, Duration.ofMinutes(5));
        return deletions.size() + " units deleted, " + open.size() + " jobs not ended; doctor " + after.summary();
    }

    /** The database password for the worker, in a file only root reads (as run-split.sh hands it over). */
    private Path passwordFile() throws java.io.IOException {
        Path file = Files.createTempFile("lodge-chaos-db", ".password",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, postgres.password());
        file.toFile().deleteOnExit();
        return file;
    }
}
