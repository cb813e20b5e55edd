package org.lodge.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the command takes its password from: the environment or standard input, never an
 * argument (arguments are visible to every local user in {@code ps}). The HTTP server on loopback
 * records what the command really sends and refuses the request as the portal refuses bad input,
 * so the command ends there; {@code ProvisionCommandTest} runs it against the real portal.
 */
class ProvisionCommandPasswordTest {

    private HttpServer portal;
    private final CopyOnWriteArrayList<String> authorizations = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        portal = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        portal.createContext("/api/units", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] problem = "{\"detail\":\"domain: refused for this test\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(400, problem.length);
            exchange.getResponseBody().write(problem);
            exchange.close();
        });
        portal.start();
    }

    @AfterEach
    void stop() {
        portal.stop(0);
    }

    private int provision(Map<String, String> env, InputStream stdin, String... extra) {
        String[] base = {"--url", "http://127.0.0.1:" + portal.getAddress().getPort(), "--user", "admin",
                "--tenant", "acme", "--disk", "64M", "--domain", "www.example.com", "--ipv4", "10.231.0.20"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return ProvisionCommand.run(args, env, stdin, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void refusesAPasswordGivenAsAnArgument() {
        assertThat(provision(Map.of(), InputStream.nullInputStream(), "--password", "secret-on-the-command-line"))
                .isEqualTo(ProvisionCommand.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown option");
        assertThat(authorizations).as("nothing was sent").isEmpty();
    }

    @Test
    void takesThePasswordFromTheEnvironment() {
        assertThat(provision(Map.of("LODGE_PASSWORD", "secret-from-env"), InputStream.nullInputStream()))
                .isEqualTo(ProvisionCommand.REFUSED);
        assertThat(authorizations).containsExactly(basic("secret-from-env"));
    }

    @Test
    void takesThePasswordFromStandardInputWhenAsked() {
        InputStream stdin = new ByteArrayInputStream("secret-from-stdin\nnot part of it\n".getBytes(StandardCharsets.UTF_8));
        assertThat(provision(Map.of("LODGE_PASSWORD", "not-this-one"), stdin, "--password-stdin"))
                .isEqualTo(ProvisionCommand.REFUSED);
        assertThat(authorizations).containsExactly(basic("secret-from-stdin"));
    }

    @Test
    void sendsAnApiTokenFromTheEnvironmentAsBearer() {
        assertThat(provision(Map.of("LODGE_TOKEN", "lodge_token-from-env", "LODGE_PASSWORD", "not-this-one"),
                InputStream.nullInputStream())).isEqualTo(ProvisionCommand.REFUSED);
        assertThat(authorizations).containsExactly("Bearer lodge_token-from-env");
    }

    @Test
    void saysWhereToPutThePasswordWhenThereIsNone() {
        assertThat(provision(Map.of(), InputStream.nullInputStream())).isEqualTo(ProvisionCommand.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("LODGE_PASSWORD").contains("--password-stdin");
        assertThat(authorizations).isEmpty();
    }
}
