package org.lodge.portal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;

/** The commands' way to the portal's API: HTTP Basic or Bearer token requests, and a job's log followed to its end. */
class PortalClient {

    private static final long POLL_MILLIS = 300;
    private static final int STATE_EVERY_POLLS = 10;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI url;
    private final String who;
    private final String authorization;

    /** @param authorization the whole Authorization header (Basic or Bearer); {@code who} names it in errors */
    PortalClient(URI url, String who, String authorization) {
        this.url = url;
        this.who = who;
        this.authorization = authorization;
    }

    JsonNode read(String body) throws IOException {
        return json.readTree(body);
    }

    String write(Object value) throws IOException {
        return json.writeValueAsString(value);
    }

    /**
     * Prints the job's log as it grows until the job ends; the final state, or empty after the
     * timeout. Asks for the job's state only when the engine logs an exit status (or every few
     * seconds): each API call costs the portal a password hash check.
     */
    Optional<String> follow(String jobId, Duration timeout, PrintStream out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long after = 0;
        int polls = 0;
        // The exit line is written just before the final state commits: from then on, ask every time.
        boolean exitLogged = false;
        while (System.nanoTime() < deadline) {
            Iterator<JsonNode> lines = json.readTree(send(request("/api/jobs/" + jobId + "/log?after=" + after).GET())
                    .body()).elements();
            while (lines.hasNext()) {
                JsonNode line = lines.next();
                after = line.path("id").asLong();
                exitLogged |= line.path("step").asText().equals("engine") && line.path("message").asText().contains("exit status");
                out.println(line.path("timestamp").asText() + " " + line.path("level").asText() + " ["
                        + line.path("step").asText() + "] " + line.path("message").asText());
            }
            if (exitLogged || ++polls % STATE_EVERY_POLLS == 0) {
                String state = json.readTree(send(request("/api/jobs/" + jobId).GET()).body()).path("state").asText();
                if ("OK".equals(state) || "KO".equals(state)) {
                    return Optional.of(state);
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        return Optional.empty();
    }

    URI page(String path) {
        return url.resolve(path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw new IOException("the portal refused the credentials of " + who);
        }
        return response;
    }

    /** Saves the answer's body to {@code file} (an archive: no size limit in memory). */
    HttpResponse<java.nio.file.Path> save(HttpRequest.Builder request, java.nio.file.Path file)
            throws IOException, InterruptedException {
        HttpResponse<java.nio.file.Path> response = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(file));
        if (response.statusCode() == 401) {
            throw new IOException("the portal refused the credentials of " + who);
        }
        return response;
    }
}
