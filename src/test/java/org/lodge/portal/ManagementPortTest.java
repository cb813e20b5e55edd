package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * A process without a web port (as a worker runs: {@code server.port=-1}) still serves the
 * operators' endpoints on a management port bound to loopback, behind the same staff-only door.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {"lodge.roles=portal",
        "server.port=-1", "management.server.port=0", "management.server.address=127.0.0.1"})
@ActiveProfiles("test")
class ManagementPortTest {

    @LocalManagementPort
    int port;
    @Autowired
    TestData data;

    @Test
    void theManagementPortServesPrometheusToStaffOnly() throws Exception {
        String staff = data.staff();
        assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = get("/actuator/prometheus", staff + ":" + TestData.PASSWORD);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("lodge_jobs_queued");
    }

    private HttpResponse<String> get(String path, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (credentials != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
