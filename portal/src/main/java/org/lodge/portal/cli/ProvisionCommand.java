package org.lodge.portal.cli;

import java.io.InputStream;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The seed's contest as a command: three inputs and a tenant in, the timestamped log streamed,
 * the FTP credentials printed on OK; exit 0 for OK, 1 for KO, 2 for refused input, 3 for errors.
 */
@Command(name = "provision", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ProvisionCommand.REFUSED,
        description = "Provision a jail through the Lodge API and follow its job to OK or KO.")
public class ProvisionCommand extends PortalCommand {

    static final int OK = 0;
    static final int KO = 1;

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
    @Option(names = "--template", description = "template of the node's catalogue, e.g. web-php (default: the node's default for the kind)")
    String template;
    @Option(names = "--timeout", defaultValue = "PT15M", description = "Give up after this long (ISO-8601 duration)")
    Duration timeout;

    private PortalClient client;
    public ProvisionCommand(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        super(env, in, out, err);
    }

    public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
        return new ProvisionCommand(env, in, out, err).execute(args);
    }

    @Override
    int run(PortalClient client) throws IOException, InterruptedException {
        this.client = client;
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
        HttpResponse<String> created = client.send(client.request("/api/units")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(client.write(body))));
        if (created.statusCode() != 202) {
            return refused(client, created);
        }
        return follow(client.read(created.body()).path("id").asText());
    }

    private int follow(String jobId) throws IOException, InterruptedException {
        Optional<String> state = followJob(client, jobId, timeout);
        if (state.isEmpty()) {
            return FAILED;
        }
        if (state.get().equals("OK")) {
            printCredentials(jobId);
            out.println("exit status: OK");
            return OK;
        }
        out.println("exit status: KO");
        return KO;
    }

    private void printCredentials(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(client.request("/api/jobs/" + jobId + "/credentials")
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 200) {
            JsonNode c = client.read(response.body());
            out.println("FTP host:     " + c.path("host").asText());
            out.println("FTP username: " + c.path("username").asText());
            out.println("FTP password: " + c.path("password").asText());
        } else {
            out.println("FTP credentials were already shown once");
        }
    }
}
