package org.lodge.provisioning.unit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real HTTP server on loopback, standing in for a tenant's web server with a huge page. */
class ServiceProbeTest {

    private static final long TWO_GIB = 2L << 30;

    private final ServiceProbe probe = new ServiceProbe();
    private HttpServer server;
    /** Bytes the server managed to send, and when it stopped (the client went away, or it finished). */
    private final AtomicLong sent = new AtomicLong();
    private final CompletableFuture<Long> stopped = new CompletableFuture<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/small", exchange -> {
            byte[] page = "<h1>shop.example.com</h1>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.createContext("/huge", exchange -> {
            exchange.sendResponseHeaders(200, TWO_GIB);
            stream(exchange.getResponseBody(), TWO_GIB);
        });
        server.createContext("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0); // chunked, no length announced
            stream(exchange.getResponseBody(), Long.MAX_VALUE);
        });
        server.start();
    }

    /** Generates the body as it goes: the test itself never holds it. */
    private void stream(OutputStream out, long length) {
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'a');
        try (out) {
            while (sent.get() < length) {
                int n = (int) Math.min(block.length, length - sent.get());
                out.write(block, 0, n);
                sent.addAndGet(n);
            }
        } catch (IOException clientWentAway) {
            // expected: the probe drops the connection after its prefix
        }
        stopped.complete(sent.get());
    }

    @AfterEach
    void stop() throws IOException {
        server.stop(0);
        probe.close();
    }

    private HttpHost target() {
        return new HttpHost("127.0.0.1", server.getAddress().getPort());
    }

    @Test
    void readsOnlyABoundedPrefixOfATwoGigabytePage() throws Exception {
        ServiceProbe.Page page = probe.get(target(), "shop.example.com", "/huge");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.truncated()).isTrue();
        assertThat(page.body()).hasSize(ServiceProbe.MAX_BODY);
        long total = stopped.get(30, TimeUnit.SECONDS);
        assertThat(total).as("the probe hung up instead of reading the rest").isLessThan(64L << 20);
    }

    @Test
    void readsOnlyABoundedPrefixOfAnEndlessChunkedPage() throws Exception {
        ServiceProbe.Page page = probe.get(target(), "shop.example.com", "/endless");

        assertThat(page.truncated()).isTrue();
        assertThat(page.body()).hasSize(ServiceProbe.MAX_BODY);
        assertThat(stopped.get(30, TimeUnit.SECONDS)).isLessThan(64L << 20);
    }

    @Test
    void readsASmallPageWholeAndKeepsWorkingAfterAHugeOne() throws Exception {
        probe.get(target(), "shop.example.com", "/huge");
        ServiceProbe.Page page = probe.get(target(), "shop.example.com", "/small");

        assertThat(page.truncated()).isFalse();
        assertThat(page.body()).isEqualTo("<h1>shop.example.com</h1>");
    }
}
