package org.lodge.provisioning.vm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.springframework.http.ResponseEntity;

/**
 * What DebianVmTest does to its Debian VM after creating it, through the same API calls as the
 * portal: snapshot and revert, backup while running, export, clone, restore into a new unit. Every
 * unit it makes is listed in {@link #made} so the test deletes it even after a failure.
 * Under TCG every job that boots the guest takes minutes: the patience below is generous.
 */
final class DebianVmCopies {

    static final Duration BOOT_JOB = Duration.ofSeconds(600);

    /** A VM as the test knows it: its unit, domain, IPv4 and the FTP account the job revealed. */
    record Vm(String id, String domain, String ip, String user, String password) {
    }

    private final Api api;
    private final ServiceProbe probe;
    private final UnitCertificates certificates;
    final List<String> made = new ArrayList<>();

    DebianVmCopies(Api api, ServiceProbe probe, UnitCertificates certificates) {
        this.api = api;
        this.probe = probe;
        this.certificates = certificates;
    }

    /** Accepted (202) and ended OK within {@code patience}; returns the job's log. */
    String ok(ResponseEntity<String> response, Duration patience) throws InterruptedException {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        String jobId = api.json(response).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, patience);
        String log = api.log(jobId);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        return log;
    }

    /** Snapshot (disk and memory) while running, remove a file, revert: the file is served again. */
    void snapshotAndRevert(Vm vm, String file, String content) throws Exception {
        String taken = ok(api.post("/api/units/" + vm.id() + "/snapshots", Map.of("name", "clean")), BOOT_JOB);
        assertThat(taken).contains("snapshot clean taken (disk and memory)");
        FtpsClient ftp = login(vm.ip(), vm.user(), vm.password());
        assertThat(ftp.deleteFile(file)).as(ftp.getReplyString()).isTrue();
        ftp.disconnect();
        assertThat(probe.get(vm.ip(), vm.domain(), "/" + file).status()).isEqualTo(404);
        String reverted = ok(api.post("/api/units/" + vm.id() + "/snapshots/clean/revert", null), BOOT_JOB);
        assertThat(reverted).contains("the VM is running");
        assertThat(probe.awaitPage(vm.ip(), vm.domain(), "/" + file, Duration.ofSeconds(60)).body()).isEqualTo(content);
        ok(api.delete("/api/units/" + vm.id() + "/snapshots/clean"), BOOT_JOB);
    }

    /** BACKUP_VM of the running VM; returns the backup's id once it is verified. */
    String backupRunning(Vm vm) throws Exception {
        String log = ok(api.post("/api/units/" + vm.id() + "/backups", null), BOOT_JOB);
        System.out.println("DebianVmTest: backup of the running VM\n" + log);
        assertThat(log).contains("libvirt backup (push mode) of vda while the VM kept running")
                .contains("qemu-img check: No errors were found").contains("backup verified");
        JsonNode row = api.json(api.get("/api/units/" + vm.id() + "/backups")).get(0);
        assertThat(row.path("outcome").asText()).isEqualTo("OK");
        assertThat(row.path("verified").asBoolean()).isTrue();
        return row.path("id").asText();
    }

    /** Exports the stopped VM's disk as qcow2; returns the file's path on this node. */
    String export(Vm vm) throws Exception {
        ok(api.post("/api/units/" + vm.id() + "/exports", Map.of("format", "qcow2")), BOOT_JOB);
        return api.json(api.get("/api/units/" + vm.id() + "/exports")).get(0).path("path").asText();
    }

    /** Clones the stopped VM under a new domain and IPv4; the job proves HTTP and FTP. */
    Vm cloneOf(Vm source, String domain, String ip) throws Exception {
        return booted(api.post("/api/units/" + source.id() + "/clone", Map.of("domain", domain, "ipv4", ip)),
                domain, ip, "clone");
    }

    /** Restores a backup into a new unit with its own domain and IPv4; the job proves HTTP and FTP. */
    Vm restoreInto(Vm source, String backupId, String domain, String ip) throws Exception {
        return booted(api.post("/api/units/" + source.id() + "/backups/" + backupId + "/new-unit",
                Map.of("domain", domain, "ipv4", ip)), domain, ip, "restore into a new unit");
    }

    private Vm booted(ResponseEntity<String> response, String domain, String ip, String what) throws Exception {
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        String jobId = api.json(response).path("id").asText();
        String unitId = api.json(response).path("unitId").asText();
        if (!unitId.isEmpty()) {
            made.add(unitId);
        }
        long started = System.nanoTime();
        JsonNode job = api.awaitEnd(jobId, BOOT_JOB);
        String log = api.log(jobId);
        System.out.println("DebianVmTest: " + what + " to OK " + (System.nanoTime() - started) / 1_000_000 + " ms\n"
                + log);
        assertThat(job.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("[test-http] GET http://" + ip + "/").contains("[test-ftp] FTP login")
                .contains("certificate for " + domain + " signed by the node CA");
        String id = job.path("unitId").asText();
        if (!made.contains(id)) {
            made.add(id);
        }
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        return new Vm(id, domain, ip, credentials.path("username").asText(), credentials.path("password").asText());
    }

    /**
     * A copy (clone or restored unit) of {@code source}: it is itself (hostname), serves the copied
     * site and {@code file}, takes its own FTP account into that site, and refuses the source's.
     */
    void provesCopy(Vm copy, Vm source, String file, String content) throws Exception {
        assertThat(guestReport(copy).getProperty("hostname")).isEqualTo(copy.domain());
        assertThat(probe.get(copy.ip(), copy.domain(), "/").body()).contains(source.domain());
        assertThat(probe.get(copy.ip(), copy.domain(), "/" + file).body()).isEqualTo(content);
        FtpsClient theirs = connect(copy.ip());
        assertThat(theirs.loginPrivate(source.user(), source.password()))
                .as("the source's FTP account must not open its copy").isFalse();
        theirs.disconnect();
        FtpsClient ftp = login(copy.ip(), copy.user(), copy.password());
        assertThat(ftp.storeFile("copy.txt", new ByteArrayInputStream(copy.domain().getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
        assertThat(ftp.listNames()).contains("index.html", file, "copy.txt");
        ftp.disconnect();
        assertThat(probe.get(copy.ip(), copy.domain(), "/copy.txt").body()).isEqualTo(copy.domain());
    }

    /** The guest's own report (/.lodge/guest, served by its nginx to the node only). */
    Properties guestReport(Vm vm) throws IOException {
        ServiceProbe.Page page = probe.get(vm.ip(), vm.domain(), "/.lodge/guest");
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        Properties report = new Properties();
        report.load(new StringReader(page.body()));
        return report;
    }

    FtpsClient login(String ip, String user, String password) throws IOException {
        FtpsClient ftp = connect(ip);
        assertThat(ftp.loginPrivate(user, password)).as(ftp.getReplyString()).isTrue();
        return ftp;
    }

    private FtpsClient connect(String ip) throws IOException {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        ftp.connect(ip, 21);
        return ftp;
    }

    /** Deletes every unit the test made, newest first, each bounded; failures are reported, not thrown. */
    void deleteAll() {
        for (int i = made.size() - 1; i >= 0; i--) {
            String id = made.get(i);
            try {
                if (api.get("/api/units/" + id).getStatusCode().value() == 200) {
                    ResponseEntity<String> delete = api.post("/api/units/" + id + "/actions/delete", null);
                    api.awaitEnd(api.json(delete).path("id").asText(), Duration.ofSeconds(180));
                }
            } catch (Exception | AssertionError e) {
                System.err.println("DebianVmTest: could not delete unit " + id + ": " + e);
            }
        }
    }
}
