package org.lodge.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lodge.LodgeApplication;
import org.lodge.provisioning.SecretFile;
import org.lodge.support.Api;
import org.lodge.support.TestNetworkCleanup;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.ResponseEntity;

/**
 * The production shape on one machine: docker/compose.yaml (PostgreSQL and the portal, built from
 * docker/) on Debian's Docker engine, and a worker on the host as lodge-worker.service runs it
 * ({@code lodge.roles=worker}, its node name, the compose PostgreSQL published on loopback). An
 * integration test (failsafe, after {@code package}) because the image is built from the jar.
 */
@Tag("libvirt")
@ExtendWith(TestNetworkCleanup.class)
class DockerStackIT {

    private static final String NODE = "docker-node";
    private static final String IP = "10.231.77.60";

    @Test
    void theContainerisedPortalQueuesAJailThatAWorkerOnTheHostRunsToOk() throws Exception {
        String dbPassword = UUID.randomUUID().toString();
        String adminPassword = UUID.randomUUID().toString();
        // The workers seal FTP passwords, the portal opens them: one key file for both, readable by
        // the container's user (uid 10001) and root.
        Path key = Files.createTempDirectory("lodge-docker-key").resolve("secrets.key");
        SecretFile.readOrCreate(key, 32);
        Files.setAttribute(key, "unix:uid", 10001);
        Files.setAttribute(key.getParent(), "unix:uid", 10001);
        // Empty ports: Docker picks free ones on 127.0.0.1 when it starts the containers (no race).
        ComposeStack stack = new ComposeStack("lodgestacktest", Path.of("docker/compose.yaml").toAbsolutePath(), Map.of(
                "LODGE_DB_PASSWORD", dbPassword, "LODGE_ADMIN_PASSWORD", adminPassword, "LODGE_NODE", NODE,
                "LODGE_DB_PORT", "", "LODGE_HTTP_PORT", "", "LODGE_SECRETS_KEY", key.toString()));
        try (stack) {
            stack.up();
            int httpPort = stack.publishedPort("portal", 8080);
            int dbPort = stack.publishedPort("postgres", 5432);
            TestRestTemplate rest = new TestRestTemplate(new RestTemplateBuilder().rootUri("http://127.0.0.1:" + httpPort));
            assertThat(awaitLoginPage(rest, stack)).contains("name=\"password\"");
            assertThat(stack.exec("portal", "cat", "/proc/1/status")).as("the portal's JVM is not root")
                    .containsPattern("(?m)^Uid:\\s+10001\\s");

            try (ConfigurableApplicationContext worker = worker(dbPort, dbPassword, key)) {
                Api api = new Api(rest, "admin", adminPassword);
                String tenant = "docker-" + UUID.randomUUID().toString().substring(0, 6);
                assertThat(api.post("/api/tenants", Map.of("name", tenant)).getStatusCode().value()).isEqualTo(201);
                String domain = tenant + ".example.com";
                JsonNode job = api.awaitOk(api.createJail(tenant, "64M", domain, IP));
                assertThat(api.log(job.path("id").asText())).contains("[test-ftp]");
                // Sealed by the worker on the host, opened by the portal in its container.
                JsonNode credentials = api.json(api.post("/api/jobs/" + job.path("id").asText() + "/credentials", null));
                assertThat(credentials.path("password").asText()).hasSize(20);
                api.awaitOk(api.act(job.path("unitId").asText(), "delete"));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(e.getMessage() + "\n--- compose logs ---\n" + stack.logs(), e);
            }
        }
    }

    /** The worker as lodge-worker.service starts it, on the test profile's node network and pools. */
    private static ConfigurableApplicationContext worker(int dbPort, String dbPassword, Path key) {
        // Arguments, not default properties: those would lose to application.yml's LODGE_* defaults.
        return new SpringApplicationBuilder(LodgeApplication.class).profiles("test")
                .run("--lodge.roles=worker", "--lodge.node.name=" + NODE, "--server.address=127.0.0.1", "--server.port=0",
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + dbPort + "/lodge",
                        "--spring.datasource.username=lodge", "--spring.datasource.password=" + dbPassword,
                        "--lodge.secrets.key-file=" + key);
    }

    /** The container's JVM takes a while on a busy machine; the compose health check waits the same way. */
    private static String awaitLoginPage(TestRestTemplate rest, ComposeStack stack) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ResponseEntity<String> page = rest.getForEntity("/login", String.class);
                if (page.getStatusCode().is2xxSuccessful()) {
                    return page.getBody();
                }
            } catch (RuntimeException notYetListening) {
                // The port is published before the JVM inside listens.
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the portal did not serve /login within 180 s\n" + stack.logs());
    }
}
