package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * One real VM on {@code qemu:///system} (KVM when the host can, TCG otherwise): linked clone,
 * boot, the operator's IPv4 configured by the guest from its seed, HTTP and FTP proven, the
 * filesystem grown at boot and live, snapshot and revert, ACPI shutdown, VMDK export downloaded,
 * a clone booted with its own identity, delete with nothing left. Real boots are slow: two here.
 */
@LiveNodeTest
class VmOnQemuTest {

    @Autowired
    TestRestTemplate rest;
    @Autowired
    VmHost host;
    @Autowired
    ServiceProbe probe;
    @Autowired
    NodeProperties node;
    @Autowired
    UnitCertificates certificates;

    @Test
    void provisionsATestedVmAndRunsItsLifecycle() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = "vmco-" + UUID.randomUUID().toString().substring(0, 6);
        api.post("/api/tenants", Map.of("name", tenant));
        // Without KVM (as here) the node takes VMs only once staff allow software emulation on it.
        assertThat(api.put("/api/nodes/" + node.name() + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        String domain = "vm-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = "10.231.77.60";
        ResponseEntity<String> created = api.post("/api/units", Map.of("tenant", tenant, "kind", "VM",
                "diskSize", "128M", "domain", domain, "ipv4", ip, "vcpus", "1", "memory", "128"));
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String jobId = api.json(created).path("id").asText();
        String unitId = api.json(created).path("unitId").asText();
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(150));
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("[clone-disk] linked clone").contains("[write-seed]").contains("[start-vm]")
                .contains("[test-http] GET http://" + ip + "/").contains("[test-ftp] FTP login").contains("exit status: OK");

        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        assertThat(credentials.path("host").asText()).isEqualTo(ip);
        String user = credentials.path("username").asText();
        String password = credentials.path("password").asText();
        assertThat(api.post("/api/jobs/" + jobId + "/credentials", null).getStatusCode().value()).isEqualTo(410);
        assertThat(log).doesNotContain(password);

        // The guest really holds the operator's address and serves the domain; FTP works with the new account.
        assertThat(probe.get(ip, domain, "/").body()).contains(domain);
        FtpsClient ftp = ftps();
        ftp.connect(ip, 21);
        ftp.requireCertificateFor(domain).verify(certificates.authority().getPublicKey());
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        assertThat(ftp.storeFile("mine.txt", new ByteArrayInputStream("mine\n".getBytes(StandardCharsets.UTF_8)))).isTrue();
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("mine.txt", back)).isTrue();
        assertThat(back.toString(StandardCharsets.UTF_8)).isEqualTo("mine\n");
        ftp.logout();
        ftp.disconnect();
        assertThat(probe.get(ip, domain, "/mine.txt").body()).isEqualTo("mine\n");
        // The guest grew its filesystem to the disk: 80 MiB fit where the template's 64 MiB could not hold them.
        upload(ip, user, password, "big1.bin", 80);
        // Grown live to 256 MiB, the guest grows again: another 80 MiB fit beside the first (at 192 MiB
        // they did not once the guest agent joined the template: ext4's journal and reserve take ~20 MiB).
        ok(api, api.post("/api/units/" + unitId + "/grow", Map.of("diskSize", "256M")));
        upload(ip, user, password, "big2.bin", 80);
        delete(ip, user, password, "big1.bin", "big2.bin");

        JsonNode unit = api.json(api.get("/api/units/" + unitId));
        assertThat(unit.path("kind").asText()).isEqualTo("VM");
        assertThat(unit.path("state").asText()).isEqualTo("RUNNING");
        // The guest's QEMU is not root: it runs as libvirt-qemu (setup-host leaves qemu.conf at Debian's user).
        String qemuPid = Files.readString(Path.of("/run/libvirt/qemu/lodge-" + unitId.substring(0, 8) + ".pid")).strip();
        assertThat(processUid(qemuPid)).isEqualTo(uidOf("libvirt-qemu"));

        // Snapshot while running, change a file, revert: the file is as it was at the snapshot.
        ok(api, api.post("/api/units/" + unitId + "/snapshots", Map.of("name", "clean")));
        ftp = ftps();
        ftp.connect(ip, 21);
        ftp.loginPrivate(user, password);
        assertThat(ftp.deleteFile("mine.txt")).isTrue();
        ftp.disconnect();
        assertThat(probe.get(ip, domain, "/mine.txt").status()).isEqualTo(404);
        ok(api, api.post("/api/units/" + unitId + "/snapshots/clean/revert", null));
        assertThat(probe.awaitPage(ip, domain, "/mine.txt", Duration.ofSeconds(20)).body()).isEqualTo("mine\n");

        String stop = api.act(unitId, "stop");
        api.awaitOk(stop);
        assertThat(api.log(stop)).contains("ACPI shutdown sent").contains("the guest powered off after");

        // Export the stopped disk as VMDK and download it.
        ok(api, api.post("/api/units/" + unitId + "/exports", Map.of("format", "vmdk")));
        String exportJob = api.json(api.get("/api/units/" + unitId + "/exports")).get(0).path("jobId").asText();
        byte[] magic = rest.withBasicAuth("admin", "admin-password-for-tests").execute(
                "/api/units/" + unitId + "/exports/" + exportJob + "/download", HttpMethod.GET, null,
                response -> response.getBody().readNBytes(4));
        assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("KDMV");

        // Clone the stopped VM: its own domain, IPv4 and FTP password, serving the copied site.
        String cloneIp = "10.231.77.61";
        String cloneDomain = "clone-" + domain;
        ResponseEntity<String> clone = api.post("/api/units/" + unitId + "/clone", Map.of("domain", cloneDomain,
                "ipv4", cloneIp));
        assertThat(clone.getStatusCode().value()).as(clone.getBody()).isEqualTo(202);
        String cloneJob = api.json(clone).path("id").asText();
        JsonNode cloned = api.awaitEnd(cloneJob, Duration.ofSeconds(150));
        assertThat(cloned.path("state").asText()).as(api.log(cloneJob)).isEqualTo("OK");
        assertThat(api.log(cloneJob)).as("the clone serves FTPS with its own certificate, not its source's")
                .contains("certificate for " + cloneDomain + " signed by the node CA");
        JsonNode cloneCredentials = api.json(api.post("/api/jobs/" + cloneJob + "/credentials", null));
        assertThat(cloneCredentials.path("password").asText()).isNotEqualTo(password);
        assertThat(probe.get(cloneIp, cloneDomain, "/mine.txt").body()).isEqualTo("mine\n");
        api.awaitOk(api.act(cloned.path("unitId").asText(), "delete"));

        api.awaitOk(api.act(unitId, "delete"));
        assertThat(host.connection().listDefinedDomains()).doesNotContain("lodge-" + unitId.substring(0, 8));
        assertThat(host.pool().listVolumes()).noneMatch(v -> v.startsWith("lodge-" + unitId.substring(0, 8)));
        assertThat(api.get("/api/units/" + unitId).getStatusCode().value()).isEqualTo(404);
    }

    /** Uploads {@code mib} MiB over FTP, retrying a few seconds while the guest grows its filesystem. */
    private void upload(String ip, String user, String password, String name, int mib) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            FtpsClient ftp = ftps();
            boolean stored = false;
            String reply;
            try {
                ftp.connect(ip, 21);
                ftp.loginPrivate(user, password);
                ftp.setFileType(FTP.BINARY_FILE_TYPE);
                stored = ftp.storeFile(name, new ByteArrayInputStream(new byte[mib << 20]));
                reply = ftp.getReplyString();
            } catch (IOException full) {
                // pure-ftpd drops the data connection when the disk is full.
                reply = full.toString();
            }
            if (ftp.isConnected()) {
                if (!stored) {
                    ftp.deleteFile(name);
                }
                ftp.disconnect();
            }
            if (stored) {
                return;
            }
            assertThat(System.nanoTime()).as("upload of " + mib + " MiB: " + reply).isLessThan(deadline);
            Thread.sleep(1000);
        }
    }

    private void delete(String ip, String user, String password, String... names) throws Exception {
        FtpsClient ftp = ftps();
        ftp.connect(ip, 21);
        ftp.loginPrivate(user, password);
        for (String name : names) {
            assertThat(ftp.deleteFile(name)).isTrue();
        }
        ftp.disconnect();
    }

    /** The real uid of a process, from the "Uid:" line of /proc/PID/status. */
    static int processUid(String pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(line -> line.startsWith("Uid:"))
                .map(line -> Integer.parseInt(line.split("\\s+")[1])).findFirst().orElseThrow();
    }

    static int uidOf(String user) throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u", user).start();
        assertThat(id.waitFor()).isZero();
        return Integer.parseInt(new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
    }

    /** The customer's client: explicit TLS, trusting the node CA only. */
    private FtpsClient ftps() {
        return FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
    }

    private static void ok(Api api, ResponseEntity<String> response) throws InterruptedException {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        api.awaitOk(api.json(response).path("id").asText());
    }
}
