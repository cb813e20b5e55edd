package org.lodge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * The portal's REST API as a client program uses it (HTTP Basic, JSON) over real HTTP with
 * java.net.http, so a burst of requests really is sent at once (TestRestTemplate's pool would
 * queue them five at a time).
 */
final class BasicApi {

    record Answer(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String authorization;

    BasicApi(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    Answer get(String path) {
        return join(getAsync(path));
    }

    Answer post(String path, Object body) {
        return join(postAsync(path, body));
    }

    Answer put(String path, Object body) {
        return join(send(request(path).PUT(json(body))));
    }

    CompletableFuture<Answer> getAsync(String path) {
        return send(request(path).GET());
    }

    CompletableFuture<Answer> postAsync(String path, Object body) {
        return send(request(path).POST(json(body)));
    }

    /** POSTs and returns the job id of a 202, or fails with the portal's answer. */
    String queue(String path, Object body) {
        Answer answer = post(path, body);
        if (answer.status() != 202) {
            throw new AssertionError("POST " + path + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.json().path("id").asText();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .header("Authorization", authorization).header("Content-Type", "application/json");
    }

    private CompletableFuture<Answer> send(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Answer(r.statusCode(), r.body()));
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        try {
            return body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer join(CompletableFuture<Answer> answer) {
        try {
            return answer.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw new IllegalStateException("request failed: " + e.getCause(), e.getCause());
        }
    }
}
