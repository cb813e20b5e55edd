package org.lodge.portal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lodge bulk start|stop|restart|backup} over units named by id or found by a search (as the
 * units page's search: a domain or part of one, an IPv4, a tenant's name), through the same API
 * and service as the web's bulk actions (staff only, at most 100 units): prints the batch's id,
 * each skipped unit with its reason, then follows the batch until every job has ended or
 * {@code --timeout}. Exit 0 when every job ended OK, 1 when one ended KO, 2 when the portal refused
 * the input, 3 when it gave up waiting (the jobs go on) or for other errors.
 */
@Command(name = "bulk", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = PortalCommand.REFUSED,
        description = "Start, stop, restart or back up many units at once and follow their jobs.")
public class BulkCommand extends PortalCommand {

    private static final int MAX_UNITS = 100;
    private static final long POLL_MILLIS = 500;

    enum Action { start, stop, restart, backup }

    /** Which units: ids, or a search. */
    static class Units {
        @Option(names = "--unit", description = "A unit's id (repeat for more)", required = true)
        List<UUID> ids;
        @Option(names = "--search", description = "Every unit the units page finds for this text (at most 100)",
                required = true)
        String search;
    }

    @Parameters(index = "0", description = "start, stop, restart or backup")
    Action action;
    @ArgGroup(multiplicity = "1")
    Units units;
    @Option(names = "--timeout", defaultValue = "PT30M", description = "Give up following the batch after this long")
    Duration timeout;

    public BulkCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        super(env, in, out, err);
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new BulkCommand(env, in, out, err).execute(args);
    }

    @Override
    int run(PortalClient client) throws IOException, InterruptedException {
        List<UUID> ids = units.ids != null ? units.ids : found(client);
        if (ids == null) {
            return REFUSED;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("action", action.name());
        body.put("unitIds", ids);
        HttpResponse<String> asked = client.send(client.request("/api/units/bulk").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(client.write(body))));
        if (asked.statusCode() != 202) {
            return refused(client, asked);
        }
        JsonNode batch = client.read(asked.body()).path("batch");
        String id = batch.path("id").asText();
        out.println("batch " + id + ": " + action + " of " + batch.path("items").size() + " unit(s)");
        for (JsonNode item : batch.path("items")) {
            if (item.path("jobId").isNull() || item.path("jobId").isMissingNode()) {
                out.println("skipped " + item.path("unitLabel").asText() + ": " + item.path("skippedReason").asText());
            }
        }
        return follow(client, id);
    }

    /** The ids of what the search finds, or null (said on err) when it finds none or more than a batch takes. */
    private List<UUID> found(PortalClient client) throws IOException, InterruptedException {
        HttpResponse<String> page = client.send(client.request("/api/units?size=" + MAX_UNITS + "&q="
                + URLEncoder.encode(units.search, StandardCharsets.UTF_8)).GET());
        if (page.statusCode() != 200) {
            refused(client, page);
            return null;
        }
        String total = page.headers().firstValue("X-Total-Count").orElse("0");
        List<UUID> ids = new ArrayList<>();
        client.read(page.body()).forEach(unit -> ids.add(UUID.fromString(unit.path("id").asText())));
        if (ids.isEmpty() || Long.parseLong(total) > MAX_UNITS) {
            err.println(ids.isEmpty() ? "no unit matches '" + units.search + "'"
                    : "'" + units.search + "' matches " + total + " units; a bulk action takes at most " + MAX_UNITS);
            return null;
        }
        return ids;
    }

    /** Polls the batch (bounded by the timeout), printing its counts when they change. */
    private int follow(PortalClient client, String id) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String shown = "";
        while (true) {
            HttpResponse<String> answer = client.send(client.request("/api/batches/" + id).GET());
            if (answer.statusCode() != 200) {
                return refused(client, answer);
            }
            JsonNode s = client.read(answer.body()).path("summary");
            String counts = "queued " + s.path("queued").asLong() + ", running " + s.path("running").asLong() + ", OK "
                    + s.path("ok").asLong() + ", KO " + s.path("ko").asLong() + ", skipped " + s.path("skipped").asLong();
            if (!counts.equals(shown)) {
                out.println(counts);
                shown = counts;
            }
            if (s.path("queued").asLong() == 0 && s.path("running").asLong() == 0) {
                out.println("exit status: " + (s.path("ko").asLong() == 0 ? "OK" : "KO"));
                return s.path("ko").asLong() == 0 ? 0 : 1;
            }
            if (System.nanoTime() > deadline) {
                err.println("gave up waiting after " + timeout + "; the jobs go on: " + client.page("/batches/" + id));
                return FAILED;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }
}
