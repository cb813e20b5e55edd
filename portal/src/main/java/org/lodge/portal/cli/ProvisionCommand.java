package org.lodge.portal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's contest as a command: three inputs and a tenant in, the timestamped log streamed,
 * the FTP credentials printed on OK; exit 0 for OK, 1 for KO, 2 for refused input, 3 for errors.
 * The password comes from {@code LODGE_PASSWORD} or, with {@code --password-stdin}, from the
 * first line of standard input; never from an argument, which any local user could read in
 * {@code ps} or {@code /proc/PID/cmdline}, and which stays in shell histories.
 */
@Command(name = "provision", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ProvisionCommand.REFUSED,
        description = "Provision a jail through the Lodge API and follow its job to OK or KO.")
public class ProvisionCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int KO = 1;
    static final int REFUSED = 2;
    static final int FAILED = 3;
    private static final long POLL_MILLIS = 300;
    private static final int STATE_EVERY_POLLS = 10;

    @Option(names = "--url", defaultValue = "${env:LODGE_URL:-http://localhost:8080}", description = "Portal URL")
    URI url;
    @Option(names = "--user", defaultValue = "${env:LODGE_USER:-admin}", description = "Staff username")
    String user;
    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input"
            + " (otherwise from LODGE_PASSWORD)")
    boolean passwordFromStdin;
    @Option(names = "--tenant", required = true, description = "Tenant id or name")
    String tenant;
    @Option(names = "--disk", required = true, description = "Disk size, e.g. 256M or 1G")
    String disk;
    @Option(names = "--domain", required = true, description = "Domain name (IDN allowed)")
    String domain;
    @Option(names = "--ipv4", required = true, description = "IPv4 address from the node's pool")
    String ipv4;
    @Option(names = "--node", description = "Node (default: the portal's own)")
    String node;
    @Option(names = "--kind", defaultValue = "jail", description = "jail or vm")
    String kind;
    @Option(names = "--vcpus", description = "VM only: vCPUs (default 1)")
    String vcpus;
    @Option(names = "--memory", description = "VM only: memory in MiB (default: the node's)")
    String memory;
    @Option(names = "--template", description = "VM only: template (default: the node's first)")
    String template;
    @Option(names = "--timeout", defaultValue = "PT15M", description = "Give up after this long (ISO-8601 duration)")
    Duration timeout;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> env;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private String password;

    public ProvisionCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        this.env = env;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new CommandLine(new ProvisionCommand(env, in, out, err))
                .setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println("error: " + e.getMessage());
                    return FAILED;
                })
                .execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        password = passwordFromStdin
                ? new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine()
                : env.get("LODGE_PASSWORD");
        if (password == null || password.isEmpty()) {
            err.println("no password: set LODGE_PASSWORD or pipe it in with --password-stdin");
            return REFUSED;
        }
        Map<String, String> body = new java.util.LinkedHashMap<>();
        body.put("tenant", tenant);
        body.put("diskSize", disk);
        body.put("domain", domain);
        body.put("ipv4", ipv4);
        body.put("kind", kind.toUpperCase(java.util.Locale.ROOT));
        Map<String, String> optional = new java.util.LinkedHashMap<>();
        optional.put("node", node);
        optional.put("vcpus", vcpus);
        optional.put("memory", memory);
        optional.put("template", template);
        optional.forEach((key, value) -> {
            if (value != null) {
                body.put(key, value);
            }
        });
        HttpResponse<String> created = send(request("/api/units")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))));
        if (created.statusCode() == 400) {
            JsonNode problem = json.readTree(created.body());
            err.println("refused: " + problem.path("detail").asText());
            return REFUSED;
        }
        if (created.statusCode() != 202) {
            err.println("the portal answered " + created.statusCode() + ": " + created.body());
            return FAILED;
        }
        String jobId = json.readTree(created.body()).path("id").asText();
        out.println("job " + jobId + " queued");
        return follow(jobId);
    }

    /**
     * Follows the log; asks for the job's state only when the engine logs an exit status (or
     * every few seconds): each API call costs the portal a password hash check.
     */
    private int follow(String jobId) throws IOException, InterruptedException {
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
                if ("OK".equals(state)) {
                    printCredentials(jobId);
                    out.println("exit status: OK");
                    return OK;
                }
                if ("KO".equals(state)) {
                    out.println("exit status: KO");
                    return KO;
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        err.println("gave up waiting after " + timeout + "; the job goes on: " + url.resolve("/jobs/" + jobId));
        return FAILED;
    }

    private void printCredentials(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(request("/api/jobs/" + jobId + "/credentials")
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 200) {
            JsonNode c = json.readTree(response.body());
            out.println("FTP host:     " + c.path("host").asText());
            out.println("FTP username: " + c.path("username").asText());
            out.println("FTP password: " + c.path("password").asText());
            out.println("FTP security: FTPS (explicit TLS) required, plain FTP logins are refused");
        } else {
            out.println("FTP credentials were already shown once");
        }
    }

    private HttpRequest.Builder request(String path) {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            throw new IOException("the portal refused the credentials of " + user);
        }
        return response;
    }
}
