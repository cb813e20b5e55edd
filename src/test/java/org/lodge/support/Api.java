package org.lodge.support;

import java.util.UUID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/** A thin client of the portal's REST API for tests, as staff or as a customer. */
public class Api {

    private final TestRestTemplate rest;
    private final ObjectMapper json = new ObjectMapper();

    public Api(TestRestTemplate rest, String user, String password) {
        this.rest = rest.withBasicAuth(user, password);
    }

    public ResponseEntity<String> post(String path, Object body) {
        return rest.exchange(path, HttpMethod.POST, new HttpEntity<>(body), String.class);
    }

    public ResponseEntity<String> put(String path, Object body) {
        return rest.exchange(path, HttpMethod.PUT, new HttpEntity<>(body), String.class);
    }

    public ResponseEntity<String> delete(String path) {
        return rest.exchange(path, HttpMethod.DELETE, null, String.class);
    }

    public ResponseEntity<String> get(String path) {
        return rest.getForEntity(path, String.class);
    }

    public JsonNode json(ResponseEntity<String> response) {
        try {
            return json.readTree(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }

    /** Creates a tenant with a fresh name starting with {@code prefix}; its name. */
    public String newTenant(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
        post("/api/tenants", Map.of("name", name));
        return name;
    }

    /** Adds a customer with a fresh username and this password to the named tenant; the username. */
    public String newCustomer(String tenantName, String password) {
        String id = json(get("/api/tenants")).findParents("name").stream()
                .filter(t -> t.path("name").asText().equals(tenantName)).findFirst().orElseThrow().path("id").asText();
        String username = "c" + UUID.randomUUID().toString().substring(0, 8);
        ResponseEntity<String> created = post("/api/tenants/" + id + "/users", Map.of("username", username,
                "password", password));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(201);
        return username;
    }

    /** Queues a jail and returns the job id. */
    public String createJail(String tenant, String size, String domain, String ip) {
        ResponseEntity<String> response = post("/api/units", Map.of("tenant", tenant, "diskSize", size,
                "domain", domain, "ipv4", ip));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json(response).path("id").asText();
    }

    /** Queues a lodge-test VM (128 MiB disk, 1 vCPU, 128 MiB) on a node staff let run TCG, and returns the job id. */
    public String createVm(String node, String tenant, String domain, String ip) {
        assertThat(put("/api/nodes/" + node + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value()).isEqualTo(204);
        ResponseEntity<String> response = post("/api/units", Map.of("tenant", tenant, "kind", "VM", "diskSize", "128M",
                "domain", domain, "ipv4", ip, "vcpus", "1", "memory", "128"));
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json(response).path("id").asText();
    }

    public String act(String jailId, String action) {
        ResponseEntity<String> response = post("/api/units/" + jailId + "/actions/" + action, null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return json(response).path("id").asText();
    }

    /** Waits for the job's final state and returns the job. */
    public JsonNode awaitEnd(String jobId, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = json(get("/api/jobs/" + jobId));
            String state = job.path("state").asText();
            if (state.equals("OK") || state.equals("KO")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not end within " + patience + ": " + log(jobId));
    }

    public String log(String jobId) {
        return get("/api/jobs/" + jobId + "/log.txt").getBody();
    }

    public JsonNode awaitOk(String jobId) throws InterruptedException {
        JsonNode job = awaitEnd(jobId, Duration.ofSeconds(90));
        assertThat(job.path("state").asText()).as(log(jobId)).isEqualTo("OK");
        return job;
    }
}
