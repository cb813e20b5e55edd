package org.lodge.provisioning.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.libvirt.Domain;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.ConsoleTickets;
import org.lodge.provisioning.ConsoleTickets.Purpose;
import org.lodge.provisioning.unit.UnitEntity;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.support.DisklessVms;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The node's console gateway, spoken to directly as any local process could, and through the
 * portal: nothing without a valid token of the right unit, nothing of a VM that no longer runs
 * (even when another VM runs), and no more consoles per user than the cap.
 */
@LiveNodeTest
class ConsoleGatewayTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;
    @Autowired
    ConsoleGateway gateway;
    @Autowired
    ConsoleTickets tickets;
    @Autowired
    DisklessVms vms;
    @Autowired
    VmHost host;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void refusesConnectionsWithoutAValidTokenOfThatUnit() throws Exception {
        TenantEntity tenant = data.tenant("gateway");
        UnitEntity vm = vms.unit(tenant.getId(), "10.231.77.242");
        UnitEntity other = vms.unit(tenant.getId(), "10.231.77.243");
        try {
            Domain domain = vms.start(vm);
            // QEMU's VNC socket is in the domain's private directory, closed to other local users.
            Path socketDir = Path.of(DisklessVms.vncSocket(domain)).getParent();
            assertThat(socketDir.toString()).contains(vm.libvirtName());
            assertThat(Files.getPosixFilePermissions(socketDir)).doesNotContain(PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

            assertThat(ask("")).isEqualTo("NO malformed request");
            assertThat(ask(vm.id().toString())).isEqualTo("NO malformed request");
            assertThat(ask(vm.id() + " not-a-token")).isEqualTo("NO invalid, spent or expired token");
            // The browser's PAGE ticket opens nothing at the gateway.
            assertThat(ask(vm.id() + " " + tickets.issue("alice", vm.id(), Purpose.PAGE)))
                    .isEqualTo("NO invalid, spent or expired token");
            // Another unit's token does not open this unit (and is spent by the attempt).
            String othersToken = tickets.issue("alice", other.id(), Purpose.GATEWAY);
            assertThat(ask(vm.id() + " " + othersToken)).isEqualTo("NO the token is for another unit");
            assertThat(ask(other.id() + " " + othersToken)).isEqualTo("NO invalid, spent or expired token");

            // The right token opens the VM's VNC server, once.
            String token = tickets.issue("alice", vm.id(), Purpose.GATEWAY);
            try (Socket console = connect(vm.id() + " " + token)) {
                assertThat(line(console.getInputStream())).isEqualTo("OK");
                assertThat(line(console.getInputStream())).startsWith("RFB 003.");
            }
            assertThat(ask(vm.id() + " " + token)).isEqualTo("NO invalid, spent or expired token");
        } finally {
            vms.remove(vm);
            vms.remove(other);
        }
    }

    @Test
    void aTicketOfAVmStoppedFromInsideReachesNothingWhileAnotherVmRuns() throws Exception {
        TenantEntity tenant = data.tenant("gateway-stop");
        String customer = data.customer(tenant);
        UnitEntity first = vms.unit(tenant.getId(), "10.231.77.244");
        UnitEntity second = vms.unit(tenant.getId(), "10.231.77.245");
        try {
            String session = login(customer);
            // Tickets issued while the first VM is recorded as running...
            String pageTicket = tickets.issue(customer, first.id(), Purpose.PAGE);
            String gatewayToken = tickets.issue(customer, first.id(), Purpose.GATEWAY);
            // ...then its guest resets itself and libvirt ends it, behind the worker's back,
            vms.startSelfStopping(first);
            Instant deadline = Instant.now().plusSeconds(60);
            while (host.domain(first).isPresent()) {
                assertThat(Instant.now()).as("the guest stops itself").isBefore(deadline);
                Thread.sleep(200);
            }
            // ...and another VM starts, where a VNC port could have been reused.
            vms.start(second);

            assertThat(ask(first.id() + " " + gatewayToken)).isEqualTo("NO " + first.domain() + " is not running");
            // Through the portal: refused at the handshake (the state sync saw the stop) or by the
            // gateway (a close with the reason), never a byte of a screen.
            CompletableFuture<String> received = new CompletableFuture<>();
            try {
                http.newWebSocketBuilder().subprotocols("binary").header("Cookie", session)
                        .buildAsync(URI.create("ws://localhost:" + port + "/console/ws?token=" + pageTicket),
                                listener(received)).get(10, TimeUnit.SECONDS);
                assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("closed 4403: " + first.domain() + " is not running");
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOfSatisfying(WebSocketHandshakeException.class,
                        refused -> assertThat(refused.getResponse().statusCode()).isEqualTo(403));
            }
            // The second VM's own token does open the second VM.
            try (Socket console = connect(second.id() + " " + tickets.issue(customer, second.id(), Purpose.GATEWAY))) {
                assertThat(line(console.getInputStream())).isEqualTo("OK");
            }
        } finally {
            vms.remove(first);
            vms.remove(second);
        }
    }

    @Test
    void refusesAConsoleBeyondTheUsersCap() throws Exception {
        TenantEntity tenant = data.tenant("gateway-cap");
        String customer = data.customer(tenant);
        UnitEntity vm = vms.unit(tenant.getId(), "10.231.77.246");
        List<Socket> open = new ArrayList<>();
        try {
            vms.start(vm);
            for (int i = 0; i < 4; i++) {
                Socket console = connect(vm.id() + " " + tickets.issue(customer, vm.id(), Purpose.GATEWAY));
                open.add(console);
                assertThat(line(console.getInputStream())).isEqualTo("OK");
            }
            String refusal = "NO you already have 4 consoles open, the most one user may have: close one to open another";
            assertThat(ask(vm.id() + " " + tickets.issue(customer, vm.id(), Purpose.GATEWAY))).isEqualTo(refusal);
            // The console page says so before issuing a ticket.
            String session = login(customer);
            HttpResponse<String> refused = page("/units/" + vm.id() + "/console", session);
            assertThat(refused.statusCode()).isEqualTo(302);
            assertThat(page(refused.headers().firstValue("Location").orElseThrow(), session).body())
                    .contains("No console opened: you already have 4 consoles open");

            // Closing one makes room again (once the gateway saw the close).
            open.remove(0).close();
            Instant deadline = Instant.now().plusSeconds(10);
            while (jdbc.sql("select count(*) from console_session where username = :u").param("u", customer)
                    .query(Long.class).single() > 3) {
                assertThat(Instant.now()).as("the gateway forgets a closed console").isBefore(deadline);
                Thread.sleep(100);
            }
            try (Socket console = connect(vm.id() + " " + tickets.issue(customer, vm.id(), Purpose.GATEWAY))) {
                assertThat(line(console.getInputStream())).isEqualTo("OK");
            }
        } finally {
            for (Socket console : open) {
                console.close();
            }
            vms.remove(vm);
        }
    }

    private Socket connect(String request) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(gateway.address().getAddress(), gateway.address().getPort()), 5_000);
        socket.setSoTimeout(15_000);
        socket.getOutputStream().write((request + "\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** The gateway's answer to one request line, the connection then closed. */
    private String ask(String request) throws IOException {
        try (Socket socket = connect(request)) {
            return line(socket.getInputStream());
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static WebSocket.Listener listener(CompletableFuture<String> received) {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                received.complete("data: " + StandardCharsets.US_ASCII.decode(data));
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                received.complete("closed " + status + ": " + reason);
                return null;
            }
        };
    }

    private HttpResponse<String> page(String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port).resolve(path))
                .header("Cookie", cookie).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Logs in through the form (with its CSRF token) and gives the session cookie. */
    private String login(String username) throws Exception {
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .build(), HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(form.body());
        assertThat(csrf.find()).as("login form with a CSRF token").isTrue();
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", session(form))
                .POST(HttpRequest.BodyPublishers.ofString("username=" + enc(username) + "&password="
                        + enc(TestData.PASSWORD) + "&_csrf=" + enc(csrf.group(1)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
        return session(done);
    }

    /** The session cookie a response sets. */
    private static String session(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.split(";", 2)[0]).findFirst().orElseThrow();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
