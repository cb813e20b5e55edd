package org.lodge.portal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lodge backup}: a unit's backups through the API, with the same checks as the web.
 * {@code list --unit U}; {@code now --unit U} and {@code restore --unit U --backup B} queue the job
 * and follow its log (exit 0 OK, 1 KO), as does {@code delete --unit U --backup B} (staff); {@code files --unit U --backup B --path P...} restores chosen
 * files and folders in place and {@code download ... --path P... --output F} saves them as a
 * {@code tar.zst} archive (paths relative to the site's web root); {@code quota --tenant T [--set 20GB|none]} (staff).
 * Exit 2 when the portal refuses the input (its message printed), 3 for other errors.
 */
@Command(name = "backup", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = PortalCommand.REFUSED,
        description = "Backups of a unit: list, now, restore, delete, files, download; a tenant's backup quota: quota.")
public class BackupCommand extends PortalCommand {

    enum Action { list, now, restore, delete, files, download, quota }

    @Parameters(index = "0", description = "list, now, restore, delete, files, download or quota")
    Action action;
    @Option(names = "--unit", description = "The unit's id")
    UUID unit;
    @Option(names = "--backup", description = "The backup's id (restore, delete, files, download)")
    UUID backup;
    @Option(names = "--tenant", description = "The tenant's id (quota)")
    UUID tenant;
    @Option(names = "--set", description = "New quota (quota): e.g. 20GB; none removes it")
    String set;
    @Option(names = "--path", description = "A file or folder of the site, relative to its web root (files, download; repeat)")
    java.util.List<String> paths;
    @Option(names = "--output", description = "Where download writes the tar.zst archive")
    java.nio.file.Path output;
    @Option(names = "--timeout", defaultValue = "PT2H", description = "Give up following the job after this long")
    Duration timeout;

    public BackupCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        super(env, in, out, err);
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new BackupCommand(env, in, out, err).execute(args);
    }

    @Override
    int run(PortalClient client) throws IOException, InterruptedException {
        if (action == Action.quota ? tenant == null : unit == null) {
            err.println(action == Action.quota ? "quota needs --tenant" : action + " needs --unit");
            return REFUSED;
        }
        return switch (action) {
            case list -> list(client);
            case now -> follow(client, client.send(client.request("/api/units/" + unit + "/backups")
                    .POST(HttpRequest.BodyPublishers.noBody())));
            case restore -> backup == null ? missing("restore needs --backup")
                    : follow(client, client.send(client.request("/api/units/" + unit + "/backups/" + backup + "/restore")
                    .POST(HttpRequest.BodyPublishers.noBody())));
            case delete -> backup == null ? missing("delete needs --backup")
                    : follow(client, client.send(client.request("/api/units/" + unit + "/backups/" + backup).DELETE()));
            case files -> backup == null ? missing("files needs --backup")
                    : follow(client, client.send(selection(client, "files/restore")));
            case download -> backup == null || output == null ? missing("download needs --backup and --output")
                    : download(client);
            case quota -> quota(client);
        };
    }

    private HttpRequest.Builder selection(PortalClient client, String verb) throws IOException {
        return client.request("/api/units/" + unit + "/backups/" + backup + "/" + verb)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        client.write(Map.of("paths", paths == null ? java.util.List.of() : paths))));
    }

    /** The archive job followed to its end, then its archive saved to --output. */
    private int download(PortalClient client) throws IOException, InterruptedException {
        HttpResponse<String> queued = client.send(selection(client, "files/download"));
        int followed = follow(client, queued);
        if (followed != 0) {
            return followed;
        }
        String jobId = client.read(queued.body()).path("id").asText();
        HttpResponse<java.nio.file.Path> saved = client.save(client.request("/api/units/" + unit
                + "/backups/downloads/" + jobId).timeout(timeout), output);
        if (saved.statusCode() != 200) {
            java.nio.file.Files.deleteIfExists(output);
            err.println("the portal answered " + saved.statusCode() + " for the archive of job " + jobId);
            return FAILED;
        }
        out.println(output + ": " + java.nio.file.Files.size(output) + " bytes, SHA-256 "
                + saved.headers().firstValue("X-Checksum-SHA256").orElse("?"));
        return 0;
    }

    private int list(PortalClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(client.request("/api/units/" + unit + "/backups").GET());
        if (response.statusCode() != 200) {
            return refused(client, response);
        }
        out.println("id                                    taken                    outcome     verified protected size");
        for (JsonNode b : client.read(response.body())) {
            out.printf("%-37s %-24s %-11s %-8s %-9s %s%s%n", b.path("id").asText(), b.path("takenAt").asText(),
                    b.path("outcome").asText(), b.path("verified").asBoolean() ? "yes" : "no",
                    b.path("protectedFromPrune").asBoolean() ? "yes" : "no",
                    b.path("sizeBytes").isNumber() ? b.path("sizeBytes").asLong() + " B" : "",
                    b.path("reason").isTextual() ? "  (" + b.path("reason").asText() + ")" : "");
        }
        return 0;
    }

    private int quota(PortalClient client) throws IOException, InterruptedException {
        String path = "/api/tenants/" + tenant + "/backup-quota";
        if (set != null) {
            String quota = set.equalsIgnoreCase("none") ? "" : set;
            HttpResponse<String> put = client.send(client.request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(client.write(Map.of("quota", quota)))));
            if (put.statusCode() != 204) {
                return refused(client, put);
            }
        }
        HttpResponse<String> get = client.send(client.request(path).GET());
        if (get.statusCode() != 200) {
            return refused(client, get);
        }
        JsonNode usage = client.read(get.body());
        out.println("used:  " + usage.path("usedBytes").asLong() + " B in " + usage.path("snapshots").asInt()
                + " snapshot(s)");
        out.println("quota: " + (usage.path("quotaBytes").isNumber() ? usage.path("quotaBytes").asLong() + " B" : "none"));
        return 0;
    }

    private int follow(PortalClient client, HttpResponse<String> queued) throws IOException, InterruptedException {
        if (queued.statusCode() != 202) {
            return refused(client, queued);
        }
        Optional<String> state = followJob(client, client.read(queued.body()).path("id").asText(), timeout);
        if (state.isEmpty()) {
            return FAILED;
        }
        out.println("exit status: " + state.get());
        return state.get().equals("OK") ? 0 : 1;
    }

    private int missing(String message) {
        err.println(message);
        return REFUSED;
    }
}
