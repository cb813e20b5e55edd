package org.lodge.bench;

import java.io.IOException;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;

/**
 * One person's logged-in session over real HTTP, as a browser keeps it: a cookie jar, form login
 * with the CSRF token read from the login page, redirects not followed (a redirect to the login
 * page means the session was lost). API calls carry the same person's HTTP Basic credentials, as
 * a script of theirs would.
 */
final class BrowserSession {

    /** A request's outcome: its status (0 for an exception), time and what went wrong, if anything. */
    record Hit(String kind, int status, long nanos, String error) {
    }

    private final HttpClient http;
    private final String base;
    private final String basic;
    private final String user;
    private final String password;

    BrowserSession(int port, String user, String password, java.util.concurrent.Executor executor) {
        this.http = HttpClient.newBuilder().cookieHandler(new LoopbackIsSecure()).executor(executor)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "http://127.0.0.1:" + port;
        this.user = user;
        this.password = password;
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET /login, POST the form with its CSRF token; the session is logged in when sent on to "/". */
    Hit login() {
        long start = System.nanoTime();
        try {
            HttpResponse<String> page = http.send(get("/login").build(), HttpResponse.BodyHandlers.ofString());
            String csrf = Jsoup.parse(page.body()).select("input[name=_csrf]").attr("value");
            String form = "username=" + encode(user) + "&password=" + encode(password) + "&_csrf=" + encode(csrf);
            HttpResponse<String> answer = http.send(request("/login").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            String location = answer.headers().firstValue("Location").orElse("");
            boolean in = answer.statusCode() == 302 && !location.contains("/login");
            return new Hit("login", answer.statusCode(), System.nanoTime() - start,
                    in ? null : "login refused: " + answer.statusCode() + " → " + location);
        } catch (IOException | InterruptedException e) {
            return new Hit("login", 0, System.nanoTime() - start, e.toString());
        }
    }

    /** A page of the web UI: 2xx, or a redirect elsewhere than the login page. */
    Hit page(String path) {
        return send("page " + path, get(path).build(), true);
    }

    String user() {
        return user;
    }

    /** A page's body, to measure its size (not timed). */
    String body(String path) throws IOException, InterruptedException {
        return http.send(get(path).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    Hit api(String path) {
        return send("api " + path, get(path).header("Authorization", basic).header("Accept", "application/json").build(), false);
    }

    /** The API with another Authorization header (a Bearer token), under its own kind. */
    Hit api(String kind, String path, String authorization) {
        return send(kind, get(path).header("Authorization", authorization).header("Accept", "application/json").build(), false);
    }

    private Hit send(String kind, HttpRequest request, boolean page) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            long took = System.nanoTime() - start;
            int status = answer.statusCode();
            String location = answer.headers().firstValue("Location").orElse("");
            String error = status >= 400 || status < 200 ? "HTTP " + status
                    : page && status >= 300 && location.contains("/login") ? "sent to the login page" : null;
            return new Hit(kind, status, took, error);
        } catch (IOException | InterruptedException e) {
            return new Hit(kind, 0, System.nanoTime() - start, e.toString());
        }
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(1));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * The portal's session cookie is {@code Secure}. Browsers send such cookies to
     * {@code http://localhost} (a potentially trustworthy origin); java.net's CookieManager does
     * not, so loopback requests are presented to it as https.
     */
    private static final class LoopbackIsSecure extends CookieHandler {
        private final CookieManager cookies = new CookieManager();

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) throws IOException {
            return cookies.get(secure(uri), headers);
        }

        @Override
        public void put(URI uri, Map<String, List<String>> headers) throws IOException {
            cookies.put(secure(uri), headers);
        }

        private static URI secure(URI uri) {
            return URI.create(uri.toString().replaceFirst("^http://127\\.0\\.0\\.1:", "https://127.0.0.1:"));
        }
    }
}
