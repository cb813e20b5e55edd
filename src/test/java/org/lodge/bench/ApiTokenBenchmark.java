package org.lodge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.portal.security.ApiTokens;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The API with a Bearer token against the same API with HTTP Basic: the same customer, the same
 * {@code GET /api/units}, over real HTTP from {@value #CLIENTS} concurrent clients. Basic pays a
 * bcrypt check per request; a token one SHA-256 and an index probe. Prints requests per second
 * and latency percentiles; run with {@code ./lodge bench -Dtest=ApiTokenBenchmark}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
@Tag("bench")
class ApiTokenBenchmark {

    private static final int CLIENTS = 8;
    private static final int REQUESTS = 2_000;
    private static final int WARM_UP = 200;

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    ApiTokens tokens;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void tokenVersusBasic() throws Exception {
        String customer = data.customer(data.tenant("bench-token"));
        String basic = "Basic " + Base64.getEncoder().encodeToString((customer + ":" + TestData.PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        String bearer = "Bearer " + tokens.create(customer, "bench", true, 1, "127.0.0.1").secret();
        run(basic, WARM_UP);
        run(bearer, WARM_UP);
        Result withBasic = run(basic, REQUESTS);
        Result withToken = run(bearer, REQUESTS);
        System.out.printf("%n| GET /api/units, %d clients, %d requests | requests/s | p50 | p95 |%n|---|---|---|---|%n"
                        + "| HTTP Basic (bcrypt per request) | %.0f | %.1f ms | %.1f ms |%n"
                        + "| Bearer API token (SHA-256 + index probe) | %.0f | %.1f ms | %.1f ms |%n%n",
                CLIENTS, REQUESTS, withBasic.perSecond(), Percentiles.p(withBasic.nanos(), 50),
                Percentiles.p(withBasic.nanos(), 95), withToken.perSecond(), Percentiles.p(withToken.nanos(), 50),
                Percentiles.p(withToken.nanos(), 95));
        assertThat(withToken.perSecond()).isGreaterThan(withBasic.perSecond());
    }

    private record Result(double perSecond, List<Long> nanos) {
    }

    private Result run(String authorization, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/units"))
                .header("Authorization", authorization).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build();
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < requests / CLIENTS; i++) {
                        long t = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        nanos.add(System.nanoTime() - t);
                        assertThat(response.statusCode()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(nanos.size() / seconds, nanos);
    }
}
