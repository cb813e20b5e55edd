package org.lodge.provisioning.unit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;

/**
 * Talks HTTP to a jail or VM the way a visitor's browser would: to the unit's address with the
 * domain in the Host header (the JDK's clients refuse to set Host, hence httpclient5).
 */
@Component
public class ServiceProbe implements AutoCloseable {

    public record Page(int status, String body) {
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
        HttpGet get = new HttpGet("http://" + ipv4 + path);
        get.setHeader(HttpHeaders.HOST, domain);
        return http.execute(get, response -> new Page(response.getCode(),
                response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
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
