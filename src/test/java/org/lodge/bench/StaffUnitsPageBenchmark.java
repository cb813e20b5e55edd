package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.portal.security.ApiTokens;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantService;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;

/**
 * The staff console with 10,000 units over 1,000 tenants and 20,000 jobs (rows written straight
 * into the database), logged-in sessions over real HTTP: staff sessions asking in turn for the
 * units list (first page, a search by domain, a search by tenant, a sort, page 100), the
 * dashboard, the jobs list (first page and a search) and the API lists with a token; customer
 * sessions (a fifth) asking for their unit's page and their API list; every session also asks for
 * a static file, the floor. Run at 1, 10 and 50 sessions at once ({@code -Dbench.levels}): 1 gives
 * the service time of each request, 50 the target. Each session asks back to back (a stress
 * test), or, for a level written {@code 50t}, like a person: a pause of 1 to 3 s after each answer
 * ({@code -Dbench.think=1000-3000}, ms), the first one before the first click, bounded by the rounds and
 * by {@code -Dbench.thinkSeconds} (default 180) per level. p50 and p95 per request.
 * Then the API with a token against HTTP Basic (8 clients, requests per second), and EXPLAIN
 * ANALYZE of the list queries. {@code mvn test -Dtest=StaffUnitsPageBenchmark -Dgroups=bench
 * -DexcludedGroups=none}; figures in docs/benchmarks.md.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
@Import(ServerCpu.class)
@Tag("bench")
class StaffUnitsPageBenchmark {

    private static final int TENANTS = 1_000;
    private static final int UNITS = 10_000;
    private static final int STAFF_SESSIONS = 40;
    private static final int CUSTOMER_SESSIONS = 10;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    /**
     * Sessions at once, one level after the other: 1 shows the service time, the rest the queueing;
     * a {@code t} after the number: sessions that think between clicks.
     */
    private static final List<String> LEVELS = java.util.Arrays.stream(System.getProperty("bench.levels", "1,10,50,50t")
            .split(",")).map(String::strip).toList();
    /** The floor: a static file through the same security filters and session, nothing rendered. */
    private static final String FLOOR = "/css/lodge.css";
    private static final List<String> PAGES = List.of("/units", "/units?q=bench-4217", "/units?q=bench-tenant-77",
            "/units?sort=-created", "/units?page=100", "/dashboard", "/jobs", "/jobs?q=bench-4217");
    private static final List<String> API = List.of("/api/units", "/api/units?q=bench-tenant-77&sort=-created",
            "/api/jobs?state=ko");
    /** A person's pause after each answer, in ms, drawn uniformly between the two ({@code -Dbench.think=min-max}). */
    private static final long[] THINK_MS = java.util.Arrays.stream(System.getProperty("bench.think", "1000-3000")
            .split("-")).mapToLong(Long::parseLong).toArray();
    /** The longest a thinking level runs: a session starts no request after it. */
    private static final long THINK_SECONDS = Long.getLong("bench.thinkSeconds", 180);
    private static final int BASIC_CLIENTS = 8;
    private static final int BASIC_REQUESTS = Integer.getInteger("bench.basic", 200);

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TenantService tenants;
    @Autowired
    ApiTokens tokens;
    @Autowired
    ServerCpu cpu;

    @Test
    void staffConsoleAtTenThousandUnits() throws Exception {
        data.node("bench-node", 10L << 40);
        long insert = System.nanoTime();
        rows.insert("bench", TENANTS, UNITS, "bench-node");
        jdbc.sql("""
                insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,
                                              idempotency_key, created_by, created_at)
                select gen_random_uuid(), (array['START_JAIL', 'STOP_JAIL'])[1 + k], (array['OK', 'KO'])[1 + (n + k) % 7 / 6],
                       'bench-node', u.tenant_id, u.id, u.domain, '{}', gen_random_uuid()::text, 'bench',
                       now() - (n * 2 + k) * interval '1 minute'
                  from (select id, tenant_id, domain, row_number() over (order by domain) n from unit
                         where domain like 'bench-%') u, generate_series(0, 1) k""").update();
        jdbc.sql("analyze provisioning_job").update();
        double insertSeconds = (System.nanoTime() - insert) / 1e9;
        assertThat(jdbc.sql("select count(*) from unit").query(Long.class).single()).isGreaterThanOrEqualTo(UNITS);

        ExecutorService io = Executors.newCachedThreadPool();
        ExecutorService threads = Executors.newFixedThreadPool(STAFF_SESSIONS + CUSTOMER_SESSIONS);
        List<BrowserSession> staff = new ArrayList<>();
        List<String> staffTokens = new ArrayList<>();
        for (int i = 0; i < STAFF_SESSIONS; i++) {
            String name = data.staff();
            BrowserSession session = new BrowserSession(port, name, TestData.PASSWORD, io);
            assertThat(session.login().error()).isNull();
            staff.add(session);
            staffTokens.add("Bearer " + tokens.create(name, "bench", true, 1, "127.0.0.1").secret());
        }
        List<BrowserSession> customers = new ArrayList<>();
        List<String> customerUnits = new ArrayList<>();
        List<String> customerTokens = new ArrayList<>();
        for (int i = 0; i < CUSTOMER_SESSIONS; i++) {
            UUID tenant = jdbc.sql("select id from tenant where name = :n").param("n", "bench-tenant-" + (i * 97 + 3))
                    .query(UUID.class).single();
            String name = "bc" + UUID.randomUUID().toString().substring(0, 8);
            tenants.createUser(name, TestData.PASSWORD, Role.CUSTOMER, tenant);
            BrowserSession session = new BrowserSession(port, name, TestData.PASSWORD, io);
            assertThat(session.login().error()).isNull();
            customers.add(session);
            customerUnits.add(jdbc.sql("select id from unit where tenant_id = :t order by domain limit 1").param("t", tenant)
                    .query(UUID.class).single().toString());
            customerTokens.add("Bearer " + tokens.create(name, "bench", true, 1, "127.0.0.1").secret());
        }
        byte[] unitsPage = staff.get(0).body("/units").getBytes(StandardCharsets.UTF_8);
        int bytes = unitsPage.length;
        int jobsBytes = staff.get(0).body("/jobs").getBytes(StandardCharsets.UTF_8).length;
        for (String path : PAGES) {
            staff.get(0).page(path);
        }
        List<Person> people = new ArrayList<>();
        for (int s = 0; s < STAFF_SESSIONS; s++) {
            people.add(new Person(staff.get(s), staffTokens.get(s), null));
        }
        for (int c = 0; c < CUSTOMER_SESSIONS; c++) {
            people.add(new Person(customers.get(c), customerTokens.get(c), "/units/" + customerUnits.get(c)));
        }
        StringBuilder report = new StringBuilder();
        for (String level : LEVELS) {
            report.append(level(Integer.parseInt(level.replace("t", "")), level.endsWith("t") ? Pace.thinking()
                    : Pace.BACK_TO_BACK, people, threads));
        }
        report.append(String.format("%nunits first page: %,d bytes; jobs first page: %,d bytes; rows inserted in %.1f s%n",
                bytes, jobsBytes, insertSeconds));
        report.append(String.format("units first page with server.compression: %s%n", GzipCost.of(unitsPage)));

        report.append(tokenVersusBasic(customers.get(0), customerTokens.get(0), threads));
        report.append(explain());
        threads.shutdown();
        io.shutdown();
        System.out.println(report);
        Files.writeString(Path.of("target", "staff-units-page-benchmark.md"), report);
        assertThat(bytes).isLessThan(200_000);
    }

    /** How a session paces its clicks: back to back, or with a person's pause until a deadline. */
    private record Pace(long minMs, long maxMs, long deadline) {

        static final Pace BACK_TO_BACK = new Pace(0, 0, Long.MAX_VALUE);

        static Pace thinking() {
            return new Pace(THINK_MS[0], THINK_MS[THINK_MS.length - 1], System.nanoTime()
                    + TimeUnit.SECONDS.toNanos(THINK_SECONDS));
        }

        boolean thinks() {
            return maxMs > 0;
        }

        /** A person's pause; false once the level's time is up (then the session asks nothing more). */
        boolean pause() {
            if (thinks()) {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(minMs, maxMs + 1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while thinking", e);
                }
            }
            return System.nanoTime() < deadline;
        }

        String describe() {
            return thinks() ? String.format("think time %d-%d ms (at most %d s)", minMs, maxMs, THINK_SECONDS)
                    : "back to back";
        }
    }

    /** A logged-in session with its API token; a customer's has its own unit's page. */
    private record Person(BrowserSession session, String token, String unitPage) {

        /** One round of what this person asks for, in turn, each after a pause; false once time is up. */
        boolean round(Queue<BrowserSession.Hit> hits, Pace pace) {
            List<java.util.function.Supplier<BrowserSession.Hit>> clicks = new ArrayList<>();
            clicks.add(() -> session.page(FLOOR));
            if (unitPage == null) {
                PAGES.forEach(path -> clicks.add(() -> session.page(path)));
                API.forEach(path -> clicks.add(() -> session.api("api " + path, path, token)));
            } else {
                for (int i = 0; i < 4; i++) {
                    clicks.add(() -> session.page(unitPage));
                    clicks.add(() -> session.api("customer api /api/units", "/api/units", token));
                }
            }
            for (java.util.function.Supplier<BrowserSession.Hit> click : clicks) {
                if (!pace.pause()) {
                    return false;
                }
                hits.add(click.get());
            }
            return true;
        }
    }

    /**
     * {@code level} sessions at once (a fifth of them customers; at 1, one staff session then one
     * customer session, one request at a time: the service time), the load average before and after.
     */
    private String level(int level, Pace pace, List<Person> people, ExecutorService threads) throws Exception {
        int customers = level == 1 ? 1 : Math.max(1, level / 5);
        List<Person> chosen = new ArrayList<>(people.subList(0, level == 1 ? 1 : level - customers));
        chosen.addAll(people.subList(STAFF_SESSIONS, STAFF_SESSIONS + customers));
        Queue<BrowserSession.Hit> hits = new ConcurrentLinkedQueue<>();
        String loadBefore = loadAverage();
        cpu.clear();
        long start = System.nanoTime();
        if (level == 1) {
            for (int round = 0; round < ROUNDS; round++) {
                for (Person person : chosen) {
                    person.round(hits, pace);
                }
            }
        } else {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Person person : chosen) {
                all.add(CompletableFuture.runAsync(() -> {
                    for (int round = 0; round < ROUNDS && person.round(hits, pace); round++) {
                        // the rounds, or until the thinking level's time is up
                    }
                }, threads));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.MINUTES);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        assertThat(hits).allSatisfy(hit -> assertThat(hit.error()).as(hit.kind()).isNull());
        StringBuilder report = new StringBuilder(String.format("%n%d session(s) at once (%d staff, %d customer), %s,"
                + " load average %s before, %s after; %d requests in %.1f s (%.0f/s)%n%n", level,
                chosen.size() - customers, customers, pace.describe(), loadBefore, loadAverage(), hits.size(), wall,
                hits.size() / wall));
        // CPU p95 beside wall p95: a slow request that cost little CPU waited (for a core, a pause, the pool).
        report.append("| request | n | p50 | p95 | portal CPU p50 | CPU p95 |\n|---|---|---|---|---|---|\n");
        report.append(line("floor: GET " + FLOOR + " (static, with the session)", nanos(hits, "page " + FLOOR),
                cpu.nanos(FLOOR::equals)));
        for (String path : PAGES) {
            report.append(line("GET " + path, nanos(hits, "page " + path), cpu.nanos(path::equals)));
        }
        for (String path : API) {
            report.append(line("GET " + path + " (staff token)", nanos(hits, "api " + path), cpu.nanos(path::equals)));
        }
        report.append(line("customer: GET /units/{own unit}", hits.stream().filter(h -> h.kind().startsWith("page /units/"))
                .map(BrowserSession.Hit::nanos).toList(), cpu.nanos(path -> path.startsWith("/units/"))));
        // Staff and customers both ask for /api/units: its CPU column covers both.
        report.append(line("customer: GET /api/units (token)", nanos(hits, "customer api /api/units"),
                cpu.nanos("/api/units"::equals)));
        return report.toString();
    }

    private static String line(String label, List<Long> wall, List<Long> cpu) {
        return String.format("| %s | %d | %.0f ms | %.0f ms | %.1f ms | %.1f ms |%n", label, wall.size(),
                Percentiles.p(wall, 50), Percentiles.p(wall, 95), Percentiles.p(cpu, 50), Percentiles.p(cpu, 95));
    }

    /** The 1, 5 and 15 minute load averages of the machine (other builds share its 2 cores). */
    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " / " + fields[1] + " / " + fields[2];
    }

    private static List<Long> nanos(Queue<BrowserSession.Hit> hits, String kind) {
        return hits.stream().filter(h -> h.kind().equals(kind)).map(BrowserSession.Hit::nanos).toList();
    }

    /** The same customer's GET /api/units, 8 clients at once, first with HTTP Basic, then with a token. */
    private String tokenVersusBasic(BrowserSession customer, String token, ExecutorService people) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((customer.user() + ":" + TestData.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder("\n| GET /api/units, " + BASIC_CLIENTS + " clients, " + BASIC_REQUESTS
                + " requests each way | requests/s | p50 | p95 |\n|---|---|---|---|\n");
        for (String[] way : new String[][] {{"HTTP Basic (bcrypt per request)", basic}, {"Bearer API token", token}}) {
            Queue<BrowserSession.Hit> hits = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < BASIC_CLIENTS; c++) {
                clients.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < BASIC_REQUESTS / BASIC_CLIENTS; i++) {
                        hits.add(customer.api("way", "/api/units", way[1]));
                    }
                }, people));
            }
            CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(hits).allSatisfy(hit -> assertThat(hit.error()).isNull());
            List<Long> nanos = hits.stream().map(BrowserSession.Hit::nanos).toList();
            out.append(String.format("| %s | %.0f | %.1f ms | %.1f ms |%n", way[0], hits.size() / seconds,
                    Percentiles.p(nanos, 50), Percentiles.p(nanos, 95)));
        }
        return out.toString();
    }

    /** The plans PostgreSQL chose for the lists' queries, with their times, for docs/benchmarks.md. */
    private String explain() {
        StringBuilder out = new StringBuilder("\n```\n");
        for (String sql : List.of(
                "select u.id from unit u where true order by u.domain limit 50 offset 0",
                "select u.id from unit u where true order by u.created_at desc, u.id desc limit 50 offset 0",
                "select count(*) from unit u where true",
                "select u.id from unit u where true and (u.domain like '%bench-4217%') order by u.domain limit 50",
                "select j.id from provisioning_job j where true order by j.created_at desc, j.id limit 50 offset 0",
                "select count(*) from provisioning_job j where true and j.state = 'KO'",
                // the dashboard's two queries over every unit
                "select state, count(*) from unit group by state order by state",
                "select n.name, count(u.id), count(u.id) filter (where u.state = 'RUNNING'), coalesce(sum(u.disk_bytes), 0)"
                        + " from node n left join unit u on u.node_name = n.name group by n.name order by n.name")) {
            out.append("-- ").append(sql).append('\n');
            jdbc.sql("explain (analyze, costs off) " + sql).query(String.class).list()
                    .forEach(line -> out.append(line).append('\n'));
        }
        return out.append("```\n").toString();
    }
}
