package org.lodge.portal.cli;

import java.util.Map;
import java.io.InputStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lodge doctor}: runs the orphan check on a node's worker through the API and prints its
 * findings; exit 0 when the node agrees with the database (or every orphan was repaired),
 * 1 when orphans remain, 2 for refused input, 3 for other errors.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = DoctorCommand.REFUSED,
        description = "Compare a node's libvirt domains, volumes, mounts, IP assignments and FTP passwords with the"
                + " database; --repair removes true orphans.")
public class DoctorCommand extends PortalCommand {

    static final int CLEAN = 0;
    static final int ORPHANS = 1;
    private static final Pattern SUMMARY = Pattern.compile("summary: \\d+ differences, (\\d+) orphans(?:, (\\d+) repaired)?");

    @Option(names = "--node", description = "Node (default: the only node)")
    String node;
    @Option(names = "--repair", description = "Remove the true orphans found")
    boolean repair;
    @Option(names = "--timeout", defaultValue = "PT15M", description = "Give up after this long (ISO-8601 duration)")
    Duration timeout;

    public DoctorCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        super(env, in, out, err);
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new DoctorCommand(env, in, out, err).execute(args);
    }

    @Override
    int run(PortalClient client) throws IOException, InterruptedException {
        if (node == null) {
            JsonNode nodes = client.read(client.send(client.request("/api/nodes").GET()).body());
            if (nodes.size() != 1) {
                err.println("the portal has " + nodes.size() + " nodes: choose one with --node");
                return REFUSED;
            }
            node = nodes.get(0).path("name").asText();
        }
        HttpResponse<String> queued = client.send(client.request("/api/nodes/"
                + URLEncoder.encode(node, StandardCharsets.UTF_8) + "/doctor?repair=" + repair)
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (queued.statusCode() == 404) {
            err.println("no node " + node);
            return REFUSED;
        }
        if (queued.statusCode() != 202) {
            err.println("the portal answered " + queued.statusCode() + ": " + queued.body());
            return FAILED;
        }
        String jobId = client.read(queued.body()).path("id").asText();
        out.println("job " + jobId + " queued on node " + node);
        Optional<String> state = client.follow(jobId, timeout, out);
        if (state.isEmpty() || !state.get().equals("OK")) {
            err.println(state.isEmpty() ? "gave up waiting after " + timeout : "the check ended KO");
            return FAILED;
        }
        JsonNode latest = client.read(client.send(client.request("/api/nodes/"
                + URLEncoder.encode(node, StandardCharsets.UTF_8) + "/doctor").GET()).body());
        Matcher summary = SUMMARY.matcher(latest.path("summary").asText());
        if (!summary.matches()) {
            err.println("the check left no summary");
            return FAILED;
        }
        int orphans = Integer.parseInt(summary.group(1));
        int repaired = summary.group(2) == null ? 0 : Integer.parseInt(summary.group(2));
        return orphans == repaired ? CLEAN : ORPHANS;
    }
}
