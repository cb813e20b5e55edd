package org.lodge.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.Api;
import org.lodge.support.FailureInjection;
import org.lodge.support.LiveNodeTest;
import org.lodge.portal.security.ApiTokens;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The contest as a command, against a running portal and real jails: exit 0 on OK, 1 on KO, 2 on refusal. */
@LiveNodeTest
class ProvisionCommandTest {

    @LocalServerPort
    int port;
    @Autowired
    TestRestTemplate rest;
    @Autowired
    ApiTokens tokens;

    String tenant;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void tenant() {
        tenant = "cli-" + UUID.randomUUID().toString().substring(0, 6);
        new Api(rest, "admin", "admin-password-for-tests").post("/api/tenants", Map.of("name", tenant));
    }

    private int provision(String domain, String ip, String disk) {
        return ProvisionCommand.run(new String[] {"--url", "http://localhost:" + port, "--user", "admin",
                "--tenant", tenant, "--disk", disk, "--domain", domain, "--ipv4", ip},
                Map.of("LODGE_PASSWORD", "admin-password-for-tests"), InputStream.nullInputStream(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exitsZeroWithTheFtpCredentialsWhenTheJailIsOk() throws Exception {
        String domain = "cli-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        assertThat(provision(domain, "10.231.77.25", "64M")).as(output() + err).isZero();
        assertThat(output()).containsPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO \\[test-ftp\\]")
                .contains("FTP host:     10.231.77.25").containsPattern("FTP password: \\S{20}").endsWith("exit status: OK\n");
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String jobId = output().lines().findFirst().orElseThrow().split(" ")[1];
        api.awaitOk(api.act(api.json(api.get("/api/jobs/" + jobId)).path("unitId").asText(), "delete"));
    }

    @Test
    void exitsOneWhenTheJobEndsKo() {
        String domain = FailureInjection.PREFIX + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        assertThat(provision(domain, "10.231.77.26", "64M")).as(output() + err).isEqualTo(1);
        assertThat(output()).contains("ERROR [injected-failure]").endsWith("exit status: KO\n").doesNotContain("FTP password");
    }

    @Test
    void authenticatesWithAnApiTokenAndStopsAtARevokedOne() {
        ApiTokens.Issued issued = tokens.create("admin", "cli-" + UUID.randomUUID().toString().substring(0, 6), false, 1,
                "127.0.0.1");
        String[] args = {"--url", "http://localhost:" + port, "--tenant", tenant, "--disk", "64M", "--domain",
                "not a domain", "--ipv4", "10.231.77.27"};
        Map<String, String> env = Map.of("LODGE_TOKEN", issued.secret());
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        // Past authentication to the input check: the token is the admin's.
        assertThat(ProvisionCommand.run(args, env, InputStream.nullInputStream(), o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused: domain:");

        tokens.revoke("admin", issued.token().id(), "127.0.0.1");
        assertThat(ProvisionCommand.run(args, env, InputStream.nullInputStream(), o, e)).isEqualTo(3);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused the credentials of the token in LODGE_TOKEN");
    }

    @Test
    void exitsTwoWhenTheInputIsRefused() {
        assertThat(provision("not a domain", "10.231.77.27", "64M")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("refused: domain:");
    }
}
