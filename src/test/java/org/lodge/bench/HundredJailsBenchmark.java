package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lodge.bench.Percentiles.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 100 jails requested at once through the REST API (100 concurrent POSTs): all end OK, no IPv4 is
 * given twice (database and running domains checked while all of them run); wall time and
 * submit → OK per jail. Then all are deleted again (bounded) and the doctor checks the node.
 * {@code ./lodge bench -Dtest=HundredJailsBenchmark} ({@code -Djails.count=100}).
 */
@LiveNodeTest
@Tag("bench")
@Tag("worker")
class HundredJailsBenchmark {

    private static final int JAILS = Integer.getInteger("jails.count", 100);
    // About 2-3 s of serialised start per jail on two cores, with four workers: minutes, bounded.
    private static final Duration ALL_OK = Duration.ofMinutes(30);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    NodeProperties node;

    @Test
    void hundredJailsAtOnceAllEndOkWithDistinctAddresses() throws Exception {
        BasicApi api = new BasicApi(port, "admin", "admin-password-for-tests");
        NodeChecks checks = new NodeChecks(jdbc, node.name());
        var created = api.post("/api/tenants", Map.of("name", "hundred-" + UUID.randomUUID().toString().substring(0, 6))).json();
        String tenant = created.path("name").asText();
        String run = UUID.randomUUID().toString().substring(0, 4);

        Instant submitted = Instant.now();
        long start = System.nanoTime();
        List<CompletableFuture<BasicApi.Answer>> posts = new ArrayList<>();
        List<Long> accepted = new ArrayList<>();
        for (int i = 0; i < JAILS; i++) {
            posts.add(api.postAsync("/api/units", Map.of("tenant", tenant, "diskSize", "64M",
                    "domain", "h" + i + "-" + run + ".example.com", "ipv4", "10.231.77." + (20 + i)))
                    .thenApply(answer -> {
                        synchronized (accepted) {
                            accepted.add(System.nanoTime() - start);
                        }
                        return answer;
                    }));
        }
        List<UUID> jobs = new ArrayList<>();
        for (CompletableFuture<BasicApi.Answer> post : posts) {
            BasicApi.Answer answer = post.join();
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            jobs.add(UUID.fromString(answer.json().path("id").asText()));
        }
        List<NodeChecks.Stuck> open = checks.awaitAllEnded(ALL_OK);
        long wall = System.nanoTime() - start;
        List<String> duplicates = checks.duplicateAddresses();

        List<Long> toOk = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        jdbc.sql("select id, state, finished_at, last_error from provisioning_job where id in (:ids)")
                .param("ids", jobs)
                .query((rs, n) -> {
                    if ("OK".equals(rs.getString("state"))) {
                        toOk.add(Duration.between(submitted, rs.getTimestamp("finished_at").toInstant()).toNanos());
                    } else {
                        failed.add(rs.getString("id") + " " + rs.getString("state") + ": " + rs.getString("last_error"));
                    }
                    return null;
                }).list();
        String cleanUp = deleteAll(api, checks, UUID.fromString(created.path("id").asText()));

        StringBuilder report = new StringBuilder();
        report.append("| series | n | p50 | p95 |\n|---|---|---|---|\n");
        report.append(row("POST /api/units answered 202 (all sent at once)", accepted)).append('\n');
        report.append(row("submit → OK", toOk)).append('\n');
        report.append(String.format("%n%d jails, %d OK, not OK: %d %s; not ended at the limit: %d%n", JAILS, toOk.size(),
                failed.size(), failed, open.size()));
        report.append(String.format("why jobs ended KO: %s%n", checks.koReasons(submitted)));
        report.append(String.format("wall time, first POST → last job ended: %.1f s%n", wall / 1e9));
        report.append(String.format("IPv4 held twice (database, running domains): %d %s%n", duplicates.size(), duplicates));
        report.append("clean-up: ").append(cleanUp).append('\n');
        System.out.println("\n=== Lodge 100 jails at once ===\n" + report);
        Files.writeString(Path.of("target/hundred-jails-benchmark.md"), report.toString());

        assertThat(open).isEmpty();
        assertThat(failed).isEmpty();
        assertThat(duplicates).isEmpty();
    }

    /** Deletes every jail of the run's tenant through the API, waits (bounded) and asks the doctor. */
    private String deleteAll(BasicApi api, NodeChecks checks, UUID tenant) throws InterruptedException {
        long start = System.nanoTime();
        List<CompletableFuture<BasicApi.Answer>> deletions = new ArrayList<>();
        List<String> units = jdbc.sql("select cast(id as text) from unit where tenant_id = :tenant")
                .param("tenant", tenant).query(String.class).list();
        for (String unit : units) {
            deletions.add(api.postAsync("/api/units/" + unit + "/actions/delete", null));
        }
        long refused = deletions.stream().map(CompletableFuture::join).filter(a -> a.status() != 202).count();
        List<NodeChecks.Stuck> open = checks.awaitAllEnded(Duration.ofMinutes(15));
        NodeChecks.DoctorResult doctor = checks.doctor(api, Duration.ofMinutes(5));
        return String.format("%d deletions queued (%d refused), %d not ended, %.1f s; doctor: %s", units.size(), refused,
                open.size(), (System.nanoTime() - start) / 1e9, doctor);
    }
}
