package org.lodge.provisioning.unit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Talks HTTP to a jail or VM the way a visitor's browser would: to the unit's address with the
 * domain in the Host header (the JDK's clients refuse to set Host, hence httpclient5). Only the
 * first {@link #MAX_BODY} bytes of a page are read: the page belongs to a tenant, and a huge
 * one must not fill the worker's heap (nor keep it busy reading the rest).
 */
@Component
public class ServiceProbe implements AutoCloseable {

    /** Enough for any page a probe compares; a longer body is cut here ({@code truncated}). */
    public static final int MAX_BODY = 1 << 20;

    public record Page(int status, String body, boolean truncated) {
    }

    private final CloseableHttpClient http = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                    .setDefaultConnectionConfig(ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.ofSeconds(2)).setSocketTimeout(Timeout.ofSeconds(5)).build())
                    .build())
            .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(5)).build())
            .disableAutomaticRetries()
            .build();

    public Page get(String ipv4, String domain, String path) throws IOException {
        return get(new HttpHost(ipv4, 80), domain, path);
    }

    Page get(HttpHost target, String domain, String path) throws IOException {
        HttpGet get = new HttpGet(target.toURI() + path);
        get.setHeader(HttpHeaders.HOST, domain);
        try (ClassicHttpResponse response = http.executeOpen(null, get, null)) {
            if (response.getEntity() == null) {
                return new Page(response.getCode(), "", false);
            }
            byte[] body;
            boolean truncated;
            try (InputStream in = response.getEntity().getContent()) {
                body = in.readNBytes(MAX_BODY);
                truncated = in.read() != -1;
                if (truncated) {
                    // Closing the stream would read the rest to reuse the connection: drop it instead.
                    get.cancel();
                }
            }
            return new Page(response.getCode(), new String(body, StandardCharsets.UTF_8), truncated);
        }
    }

    /** Polls until the page answers 200 or {@code patience} runs out, for a unit still starting or booting. */
    public Page awaitPage(String ipv4, String domain, String path, Duration patience)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                Page page = get(ipv4, domain, path);
                if (page.status() == 200 || System.nanoTime() > deadline) {
                    return page;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
