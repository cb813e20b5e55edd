package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lodge.bench.Percentiles.row;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The staff units page with 10,000 units over 1,000 tenants (rows written straight into the
 * database), 10 staff sessions at once over real HTTP, each asking 30 times for the first page,
 * a search by domain, a search by tenant and a sort: p50 and p95 per kind, and the page's size.
 * {@code mvn test -Dtest=StaffUnitsPageBenchmark -Dgroups=bench}; figures in docs/benchmarks.md.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
@Tag("bench")
class StaffUnitsPageBenchmark {

    private static final int TENANTS = 1_000;
    private static final int UNITS = 10_000;
    private static final int SESSIONS = 10;
    private static final int ROUNDS = 30;
    private static final List<String> PATHS = List.of("/units", "/units?q=bench-4217", "/units?q=bench-tenant-77",
            "/units?sort=-created", "/units?page=100");

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    JdbcClient jdbc;

    @Test
    void staffUnitsPageAtTenThousandUnits() throws Exception {
        data.node("bench-node", 10L << 40);
        long insert = System.nanoTime();
        rows.insert("bench", TENANTS, UNITS, "bench-node");
        double insertSeconds = (System.nanoTime() - insert) / 1e9;
        assertThat(jdbc.sql("select count(*) from unit").query(Long.class).single()).isGreaterThanOrEqualTo(UNITS);

        ExecutorService io = Executors.newCachedThreadPool();
        ExecutorService people = Executors.newFixedThreadPool(SESSIONS);
        List<BrowserSession> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            BrowserSession session = new BrowserSession(port, data.staff(), TestData.PASSWORD, io);
            assertThat(session.login().error()).isNull();
            sessions.add(session);
        }
        int bytes = sessions.get(0).body("/units").getBytes(StandardCharsets.UTF_8).length;
        sessions.get(0).page("/units");
        Queue<BrowserSession.Hit> hits = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (BrowserSession session : sessions) {
            all.add(CompletableFuture.runAsync(() -> {
                for (int round = 0; round < ROUNDS; round++) {
                    for (String path : PATHS) {
                        hits.add(session.page(path));
                    }
                }
            }, people));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        double wall = (System.nanoTime() - start) / 1e9;
        people.shutdown();
        io.shutdown();

        assertThat(hits).allSatisfy(hit -> assertThat(hit.error()).as(hit.kind()).isNull());
        StringBuilder report = new StringBuilder("| request (10 sessions × " + ROUNDS + ") | n | p50 | p95 |\n|---|---|---|---|\n");
        report.append(row("all units pages", hits.stream().map(BrowserSession.Hit::nanos).toList())).append('\n');
        for (String path : PATHS) {
            report.append(row("GET " + path, hits.stream().filter(h -> h.kind().equals("page " + path))
                    .map(BrowserSession.Hit::nanos).toList())).append('\n');
        }
        report.append(String.format("%nfirst page: %,d bytes; %d requests in %.1f s (%.0f/s); rows inserted in %.1f s%n",
                bytes, hits.size(), wall, hits.size() / wall, insertSeconds));
        System.out.println(report);
        Files.writeString(Path.of("target", "staff-units-page-benchmark.md"), report);
        assertThat(bytes).isLessThan(200_000);
    }
}
