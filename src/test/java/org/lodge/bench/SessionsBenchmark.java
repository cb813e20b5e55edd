package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lodge.bench.Percentiles.row;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.NodeProperties;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 200 people logged in at once (one cookie jar each, form login with CSRF: 10 staff, 190 customers
 * of 10 tenants) browsing the units and jobs pages and calling the API, with a think time of 1-4 s,
 * while 100 jail jobs of those tenants run (each must end; KO ones are reported). No request may fail (status outside 2xx/3xx, a
 * redirect to the login page, an exception); page and API latency are recorded.
 * {@code ./lodge bench -Dtest=SessionsBenchmark} ({@code -Dsessions.count=200 -Dsessions.jobs=100}).
 */
@LiveNodeTest
@Tag("bench")
class SessionsBenchmark {

    private static final int SESSIONS = Integer.getInteger("sessions.count", 200);
    private static final int JOBS = Integer.getInteger("sessions.jobs", 100);
    private static final int TENANTS = 10;
    private static final Duration JOBS_END = Duration.ofMinutes(30);
    private static final int MAX_REQUESTS_PER_SESSION = 5000;

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    NodeProperties node;

    private final Queue<BrowserSession.Hit> hits = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    @Test
    void twoHundredSessionsBrowseWithoutErrorsWhileHundredJobsRun() throws Exception {
        List<TenantEntity> tenants = new ArrayList<>();
        for (int t = 0; t < TENANTS; t++) {
            tenants.add(data.tenant("sessions"));
        }
        List<String> users = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            users.add(i % 20 == 0 ? data.staff() : data.customer(tenants.get(i % TENANTS)));
        }
        ExecutorService io = Executors.newCachedThreadPool();
        ExecutorService people = Executors.newFixedThreadPool(SESSIONS);
        List<CompletableFuture<Void>> browsing = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            BrowserSession session = new BrowserSession(port, users.get(i), TestData.PASSWORD, io);
            Random random = new Random(1000L + i);
            browsing.add(CompletableFuture.runAsync(() -> browse(session, random), people));
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (hits.stream().filter(h -> h.kind().equals("login")).count() < SESSIONS && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        BasicApi admin = new BasicApi(port, "admin", "admin-password-for-tests");
        NodeChecks checks = new NodeChecks(jdbc, node.name());
        java.time.Instant submitted = java.time.Instant.now();
        long start = System.nanoTime();
        List<CompletableFuture<BasicApi.Answer>> posts = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 4);
        for (int i = 0; i < JOBS; i++) {
            posts.add(admin.postAsync("/api/units", Map.of("tenant", tenants.get(i % TENANTS).getName(), "diskSize", "64M",
                    "domain", "s" + i + "-" + run + ".example.com", "ipv4", "10.231.77." + (20 + i))));
        }
        List<UUID> jobs = new ArrayList<>();
        for (CompletableFuture<BasicApi.Answer> post : posts) {
            BasicApi.Answer answer = post.join();
            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            jobs.add(UUID.fromString(answer.json().path("id").asText()));
        }
        List<NodeChecks.Stuck> open = checks.awaitAllEnded(JOBS_END);
        long jobsWall = System.nanoTime() - start;
        stop.set(true);
        CompletableFuture.allOf(browsing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        people.shutdown();
        io.shutdown();
        Map<String, Integer> outcomes = new TreeMap<>();
        jdbc.sql("select state, count(*) as n from provisioning_job where id in (:ids) group by state").param("ids", jobs)
                .query((rs, n) -> outcomes.put(rs.getString("state"), rs.getInt("n"))).list();
        String cleanUp = deleteAll(admin, checks, tenants);

        List<BrowserSession.Hit> all = List.copyOf(hits);
        Map<String, Integer> errors = new TreeMap<>();
        all.stream().filter(h -> h.error() != null).forEach(h -> errors.merge(h.kind() + ": " + h.error(), 1, Integer::sum));
        StringBuilder report = new StringBuilder();
        report.append("| series | n | p50 | p95 |\n|---|---|---|---|\n");
        report.append(row("login (GET /login, POST /login with CSRF)", nanos(all, h -> h.kind().equals("login")))).append('\n');
        report.append(row("pages (/units, /jobs, / → /units)", nanos(all, h -> h.kind().startsWith("page")))).append('\n');
        report.append(row("page /units", nanos(all, h -> h.kind().equals("page /units")))).append('\n');
        report.append(row("page /jobs", nanos(all, h -> h.kind().equals("page /jobs")))).append('\n');
        report.append(row("API (GET /api/units, /api/jobs, HTTP Basic)", nanos(all, h -> h.kind().startsWith("api")))).append('\n');
        report.append(String.format("%n%d sessions, %d requests in %.0f s (%.1f per second); errors: %d %s%n", SESSIONS,
                all.size(), jobsWall / 1e9, all.size() / (jobsWall / 1e9), errors.values().stream().mapToInt(i -> i).sum(),
                errors));
        report.append(String.format("%d jobs: %s, not ended at the limit: %d; submit → last ended: %.1f s%n", JOBS,
                outcomes, open.size(), jobsWall / 1e9));
        report.append(String.format("why jobs ended KO: %s%n", checks.koReasons(submitted)));
        report.append("clean-up: ").append(cleanUp).append('\n');
        System.out.println("\n=== Lodge 200 sessions + 100 jobs ===\n" + report);
        Files.writeString(Path.of("target/sessions-benchmark.md"), report.toString());

        assertThat(errors).isEmpty();
        assertThat(all.stream().filter(h -> h.kind().equals("login")).count()).isEqualTo(SESSIONS);
        // The jobs are the load here: each must end; a KO is reported above (HundredJailsBenchmark requires OK).
        assertThat(open).isEmpty();
    }

    /** One person: log in, then pages and API calls with a think time, until told to stop (bounded in count too). */
    private void browse(BrowserSession session, Random random) {
        BrowserSession.Hit login = session.login();
        hits.add(login);
        if (login.error() != null) {
            return;
        }
        for (int n = 0; n < MAX_REQUESTS_PER_SESSION && !stop.get(); n++) {
            int pick = random.nextInt(100);
            hits.add(pick < 30 ? session.page("/units") : pick < 60 ? session.page("/jobs") : pick < 70 ? session.page("/")
                    : pick < 85 ? session.api("/api/units") : session.api("/api/jobs"));
            try {
                Thread.sleep(1000 + random.nextInt(3000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static List<Long> nanos(List<BrowserSession.Hit> hits, Predicate<BrowserSession.Hit> which) {
        List<Long> nanos = hits.stream().filter(which).map(BrowserSession.Hit::nanos).toList();
        return nanos.isEmpty() ? List.of(0L) : nanos;
    }

    private String deleteAll(BasicApi api, NodeChecks checks, List<TenantEntity> tenants) throws InterruptedException {
        List<UUID> ids = tenants.stream().map(TenantEntity::getId).toList();
        List<String> units = jdbc.sql("select cast(id as text) from unit where tenant_id in (:ids)").param("ids", ids)
                .query(String.class).list();
        List<CompletableFuture<BasicApi.Answer>> deletions = new ArrayList<>();
        for (String unit : units) {
            deletions.add(api.postAsync("/api/units/" + unit + "/actions/delete", null));
        }
        long refused = deletions.stream().map(CompletableFuture::join).filter(a -> a.status() != 202).count();
        List<NodeChecks.Stuck> open = checks.awaitAllEnded(Duration.ofMinutes(15));
        return String.format("%d deletions queued (%d refused), %d not ended; doctor: %s", units.size(), refused,
                open.size(), checks.doctor(api, Duration.ofMinutes(5)));
    }
}
