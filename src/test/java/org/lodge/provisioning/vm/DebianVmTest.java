package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * A real Debian 12 VM (systemd, cloud-init, nginx, pure-ftpd; built by
 * build-debian-vm-template.sh) from the operator's inputs through the normal job: the job's own
 * HTTP and FTPS proofs pass against it, the customer's credentials work, and the guest's own
 * report (nginx, node-only) shows that cloud-init grew its root filesystem to the disk at boot
 * and that a live grow is taken up as well; the customer's SSH key, given through the seed, logs in
 * as root, and systemd and {@code df} agree from inside. In the slow group (`./lodge bench`): under TCG the
 * guest takes about three minutes to boot, more than the rest of a CI run can spare.
 */
@LiveNodeTest
@Tag("slow")
class DebianVmTest {

    private static final String TEMPLATE = "debian-12";
    private static final long GIB = 1L << 30;

    @Autowired
    TestRestTemplate rest;
    @Autowired
    ServiceProbe probe;
    @Autowired
    NodeProperties node;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    VmTemplates templates;

    @TempDir
    Path keys;

    @Test
    void createsATestedDebianVmWhoseRootFilesystemFillsItsDisk() throws Exception {
        Path key = keys.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "customer@debvm", "-f", key.toString()));
        assertThat(templates.find(TEMPLATE)).as("run provisioning/host/setup-host.sh: it builds " + TEMPLATE)
                .isPresent();
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = api.newTenant("debvm");
        assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        String domain = "deb-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = "10.231.77.210";
        long started = System.nanoTime();
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", tenant, "kind", "VM",
                "template", TEMPLATE, "diskSize", "2G", "domain", domain, "ipv4", ip, "vcpus", "1",
                "sshKey", Files.readString(key.resolveSibling("id_ed25519.pub"))));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String jobId = api.json(created).path("id").asText();
        String unitId = api.json(created).path("unitId").asText();
        // Under TCG on a busy node the boot alone may take most of the 240 s boot timeout.
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(400));
        Duration toOk = Duration.ofNanos(System.nanoTime() - started);
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("linked clone").contains("of template " + TEMPLATE)
                .contains("[test-http] GET http://" + ip + "/").contains("[test-ftp] FTP login");
        System.out.println("DebianVmTest: request to OK " + toOk.toMillis() + " ms\n" + log);

        JsonNode unit = api.json(api.get("/api/units/" + unitId));
        assertThat(unit.path("template").asText()).isEqualTo(TEMPLATE);
        // Blank memory: the template's minimum, not the node's smaller default.
        assertThat(unit.path("memoryMib").asInt()).isEqualTo(templates.find(TEMPLATE).orElseThrow().minMemoryMib());

        // The customer's credentials: FTPS into the web root (chrooted), the upload served by nginx.
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        String user = credentials.path("username").asText();
        String password = credentials.path("password").asText();
        assertThat(probe.get(ip, domain, "/").body()).contains(domain);
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        ftp.connect(ip, 21);
        ftp.requireCertificateFor(domain).verify(certificates.authority().getPublicKey());
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/");
        assertThat(ftp.storeFile("hello.txt", new ByteArrayInputStream("from ftp\n".getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
        assertThat(ftp.listNames()).contains("index.html", "hello.txt");
        ftp.logout();
        ftp.disconnect();
        assertThat(probe.get(ip, domain, "/hello.txt").body()).isEqualTo("from ftp\n");

        // cloud-init grew the root filesystem from the template's size to the 2 GiB disk at boot.
        Properties guest = guestReport(ip, domain);
        assertThat(guest.getProperty("hostname")).isEqualTo(domain);
        assertThat(guest.getProperty("template")).startsWith(TEMPLATE + "-");
        assertThat(Long.parseLong(guest.getProperty("disk-bytes"))).isEqualTo(2 * GIB);
        long rootFs = Long.parseLong(guest.getProperty("root-fs-bytes"));
        assertThat(rootFs).as(guest.toString()).isGreaterThan(2 * GIB * 95 / 100)
                .isGreaterThan(templates.find(TEMPLATE).orElseThrow().minDiskBytes());

        // The customer's key opens root over SSH; systemd finished booting with no failed unit.
        List<String> ssh = List.of("ssh", "-i", key.toString(), "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=20", "root@" + ip);
        long sshFrom = System.nanoTime();
        assertThat(run(concat(ssh, "systemctl", "is-system-running", "--wait"))).isEqualTo("running");
        System.out.println("DebianVmTest: SSH login and boot finished after " + Duration.ofNanos(System.nanoTime() - sshFrom)
                .toMillis() + " ms more");
        String df = run(concat(ssh, "df", "-B1", "--output=size", "/"));
        long dfBytes = Long.parseLong(df.lines().reduce((a, b) -> b).orElseThrow().strip());
        assertThat(dfBytes).as(df).isGreaterThan(2 * GIB * 95 / 100);

        // Grown live to 3 GiB: the guest's udev rule grows the filesystem online.
        ResponseEntity<String> grow = api.post("/api/units/" + unitId + "/grow", Map.of("diskSize", "3G"));
        assertThat(grow.getStatusCode().value()).as(grow.getBody()).isEqualTo(202);
        api.awaitOk(api.json(grow).path("id").asText());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Long.parseLong(guestReport(ip, domain).getProperty("root-fs-bytes")) < 3 * GIB * 95 / 100) {
            assertThat(System.nanoTime()).as("root filesystem after a live grow: " + guestReport(ip, domain))
                    .isLessThan(deadline);
            Thread.sleep(500);
        }

        String grown = run(concat(ssh, "df", "-B1", "--output=size", "/"));
        assertThat(Long.parseLong(grown.lines().reduce((a, b) -> b).orElseThrow().strip())).as(grown)
                .isGreaterThan(3 * GIB * 95 / 100);

        api.awaitOk(api.act(unitId, "delete"));
        System.out.println("DebianVmTest: whole test " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
    }

    private static List<String> concat(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }

    /** Runs a client program (bounded to 3 minutes) and returns its output; a failure fails the test. */
    private String run(List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile(keys, "out", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile()).start();
        boolean ended = process.waitFor(180, TimeUnit.SECONDS);
        if (!ended) {
            process.destroyForcibly().waitFor();
        }
        String text = Files.readString(output).strip();
        assertThat(ended && process.exitValue() == 0).as(command + " → " + (ended ? "" : "(timed out) ") + text)
                .isTrue();
        return text;
    }

    /** The guest's own report (/.lodge/guest, served by its nginx to the node only). */
    private Properties guestReport(String ip, String domain) throws IOException {
        ServiceProbe.Page page = probe.get(ip, domain, "/.lodge/guest");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Properties report = new Properties();
        report.load(new StringReader(page.body()));
        return report;
    }
}
