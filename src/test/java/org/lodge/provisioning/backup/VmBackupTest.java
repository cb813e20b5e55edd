package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.backup.vm.VmBackupRows;
import org.lodge.provisioning.backup.vm.VmFacts;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;

/**
 * VM backups for real (lodge-test template, TCG, a real restic repository): a page uploaded over
 * FTPS, a backup taken at once while the VM runs (libvirt's push backup, the guest's filesystems
 * frozen through its agent), verified; restored into a new VM with its own domain and IPv4 that
 * boots and serves that page with its content (without the freeze it came back empty) and takes
 * its new FTP password; that VM stopped and backed up from its disk chain; then the first VM,
 * changed, backed up over its tenant's quota: KO with the reason, nothing else deleted. Two boots in all.
 */
@LiveNodeTest
class VmBackupTest {

    static final String IP = "10.231.77.228";
    static final String NEW_IP = "10.231.77.229";
    static final String SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAZsJPy2J1uN7x0ym8Wl2w1Fmb/Wh/lh6e63LXtxM0HZ"
            + " customer@vmbk";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    NodeProperties node;
    @Autowired
    VmBackupRows rows;
    @Autowired
    VmHost host;
    @Autowired
    BackupProperties backupProps;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    record Vm(String id, String domain, String ip, String user, String password) {
    }

    static Vm newVm(Api api, String node, String ip, String tenant) throws Exception {
        return newVm(api, node, ip, tenant, Map.of());
    }

    /** {@code more}: further fields of the creation request (e.g. the customer's sshKey). */
    static Vm newVm(Api api, String node, String ip, String tenant, Map<String, String> more) throws Exception {
        // Without KVM (as here) the node takes VMs only once staff allow software emulation on it.
        assertThat(api.put("/api/nodes/" + node + "/vm-tcg", Map.of("allowed", true)).getStatusCode().value())
                .isEqualTo(204);
        String domain = "vmbk-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        Map<String, String> request = new java.util.HashMap<>(Map.of("tenant", tenant, "kind", "VM",
                "diskSize", "128M", "domain", domain, "ipv4", ip, "vcpus", "1", "memory", "128"));
        request.putAll(more);
        ResponseEntity<String> created = api.post("/api/units", request);
        assertThat(created.getStatusCode().value()).as(created.getBody()).isEqualTo(202);
        String jobId = api.json(created).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(150));
        assertThat(job.path("state").asText()).as(api.log(jobId)).isEqualTo("OK");
        JsonNode credentials = api.json(api.post("/api/jobs/" + jobId + "/credentials", null));
        return new Vm(job.path("unitId").asText(), domain, ip, credentials.path("username").asText(),
                credentials.path("password").asText());
    }

    static String backup(Api api, String unitId) throws Exception {
        ResponseEntity<String> asked = api.post("/api/units/" + unitId + "/backups", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        String jobId = api.json(asked).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(120));
        assertThat(job.path("state").asText()).as(api.log(jobId)).isEqualTo("OK");
        return jobId;
    }

    static void put(FtpsClient ftp, String name, String content) throws Exception {
        assertThat(ftp.storeFile(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
    }

    FtpsClient login(String ip, String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        return ftp;
    }

    @Test
    void aRunningVmBackedUpRestoresIntoANewVmThatServesItsSiteAndAStoppedOneIsBackedUpFromItsDisk()
            throws Exception {
        long started = System.nanoTime();
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = api.newTenant("vmbk");
        Vm vm = newVm(api, node.name(), IP, tenant, Map.of("sshKey", SSH_KEY));
        // Uploaded just before the backup: still in the guest's page cache (ext4 delayed allocation)
        // unless the guest agent's freeze writes it out.
        String page = "<p>backed up " + UUID.randomUUID() + "</p>";
        FtpsClient ftp = login(vm.ip(), vm.user(), vm.password());
        put(ftp, "page.html", page);
        ftp.disconnect();
        long created = System.nanoTime();

        String backupJob = backup(api, vm.id());
        String log = api.log(backupJob);
        System.out.println("[vm-backup] backup of a running VM:\n" + log);
        assertThat(log).contains("[capture-disk] libvirt backup (push mode) of vda while the VM kept running")
                .contains("linked clone flattened").contains("NoCloud seed (vdb) not backed up")
                .contains("[restic-backup] restic snapshot").contains("restic check --read-data-subset: no errors")
                .contains("qemu-img check: No errors were found").contains("image SHA-256 as captured")
                .contains("backup verified").contains("[release-scratch] scratch image deleted")
                .doesNotContain(vm.password());
        JsonNode row = api.json(api.get("/api/units/" + vm.id() + "/backups")).get(0);
        assertThat(row.path("outcome").asText()).isEqualTo("OK");
        assertThat(row.path("verified").asBoolean()).isTrue();
        VmFacts facts = rows.facts(UUID.fromString(row.path("id").asText())).orElseThrow();
        assertThat(facts.domain()).isEqualTo(vm.domain());
        assertThat(facts.ipv4()).isEqualTo(vm.ip());
        assertThat(facts.template()).isEqualTo("lodge-test");
        assertThat(facts.running()).isTrue();
        assertThat(facts.imageSha256()).hasSize(64);
        assertThat(facts.sshAuthorizedKey()).isEqualTo(SSH_KEY);
        // The scratch image is gone once the job ended.
        assertThat(Path.of(backupProps.workDir(), "lodge-" + vm.id().substring(0, 8))).doesNotExist();
        long backedUp = System.nanoTime();
        // A change for the quota's backup at the end (on the guest's disk by then, whatever its content).
        ftp = login(vm.ip(), vm.user(), vm.password());
        put(ftp, "later.html", "<p>after the first backup</p>");
        ftp.disconnect();

        // Restore into a new VM: its own domain and IPv4, a new seed and FTP password; it serves the backed-up page.
        String newDomain = "restored-" + vm.domain();
        ResponseEntity<String> taken = api.post("/api/units/" + vm.id() + "/backups/" + row.path("id").asText()
                + "/new-unit", Map.of("domain", newDomain, "ipv4", IP));
        assertThat(taken.getStatusCode().value()).as("the IPv4 is checked free before the job exists")
                .isEqualTo(400);
        assertThat(taken.getBody()).contains("ipv4");
        ResponseEntity<String> restore = api.post("/api/units/" + vm.id() + "/backups/" + row.path("id").asText()
                + "/new-unit", Map.of("domain", newDomain, "ipv4", NEW_IP));
        assertThat(restore.getStatusCode().value()).as(restore.getBody()).isEqualTo(202);
        String restoreJob = api.json(restore).path("id").asText();
        JsonNode restored = api.awaitEnd(restoreJob, Duration.ofSeconds(150));
        String restoreLog = api.log(restoreJob);
        System.out.println("[vm-backup] restore into a new VM:\n" + restoreLog);
        assertThat(restored.path("state").asText()).as(restoreLog).isEqualTo("OK");
        assertThat(restoreLog).contains("[restore-disk] disk image of backup").contains("qemu-img check: No errors")
                .contains("[write-seed]").contains("[test-http] GET http://" + NEW_IP + "/")
                .contains("[test-ftp] FTP login");
        String newId = restored.path("unitId").asText();
        // The page uploaded just before the backup, with its content: the freeze flushed it.
        ServiceProbe.Page restoredPage = probe.get(NEW_IP, newDomain, "/page.html");
        assertThat(restoredPage.status()).isEqualTo(200);
        assertThat(restoredPage.body()).as("the page uploaded just before the backup").isEqualTo(page);
        assertThat(log).containsPattern("\\[capture-disk\\] guest filesystems frozen through the guest agent for"
                + " \\d+ ms \\(\\d+ frozen, synced first\\) while the backup job started");
        assertThat(row.path("freezeMs").asLong()).isPositive().isLessThan(10_000);
        System.out.println("[vm-backup] guest frozen for " + row.path("freezeMs").asLong() + " ms");
        JsonNode credentials = api.json(api.post("/api/jobs/" + restoreJob + "/credentials", null));
        assertThat(credentials.path("password").asText()).isNotEqualTo(vm.password());
        ftp = login(NEW_IP, credentials.path("username").asText(), credentials.path("password").asText());
        ftp.disconnect();
        JsonNode newUnit = api.json(api.get("/api/units/" + newId));
        assertThat(newUnit.path("template").asText()).isEqualTo("lodge-test");
        assertThat(newUnit.path("memoryMib").asInt()).isEqualTo(128);
        // The restored disk's root holds the customer's key: the new seed gives it again, as a clone's does.
        Map<String, Object> userData = new org.yaml.snakeyaml.Yaml().load(seedFile(newId, "user-data"));
        assertThat(userData).containsEntry("disable_root", false).containsEntry("ssh_authorized_keys", List.of(SSH_KEY));
        long restoredAt = System.nanoTime();

        // A stopped VM: its disk chain flattened by qemu-img convert, verified the same way.
        api.awaitOk(api.act(newId, "stop"));
        String stoppedJob = backup(api, newId);
        String stoppedLog = api.log(stoppedJob);
        System.out.println("[vm-backup] backup of a stopped VM:\n" + stoppedLog);
        assertThat(stoppedLog).contains("VM stopped: disk chain flattened with qemu-img convert")
                .contains("qemu-img check: No errors").contains("backup verified");
        JsonNode stoppedRow = api.json(api.get("/api/units/" + newId + "/backups")).get(0);
        assertThat(rows.facts(UUID.fromString(stoppedRow.path("id").asText())).orElseThrow().running()).isFalse();
        long stoppedAt = System.nanoTime();

        overTheQuotaIsKoAndNothingElseIsDeleted(api, vm, row);
        long quotaAt = System.nanoTime();
        System.out.printf("[vm-backup] wall time: create %d ms, backup (running) %d ms, restore to new VM %d ms,"
                        + " stop + backup (stopped) %d ms, backup over the quota %d ms%n", (created - started) / 1_000_000,
                (backedUp - created) / 1_000_000, (restoredAt - backedUp) / 1_000_000,
                (stoppedAt - restoredAt) / 1_000_000, (quotaAt - stoppedAt) / 1_000_000);

        api.awaitOk(api.act(newId, "delete"));
        api.awaitOk(api.act(vm.id(), "delete"));
        assertThat(host.pool().listVolumes()).noneMatch(v -> v.startsWith("lodge-" + newId.substring(0, 8)));
        assertThat(Files.exists(Path.of(backupProps.workDir(), "lodge-" + newId.substring(0, 8)))).isFalse();
    }

    /** A file of the unit's NoCloud seed volume as the guest reads it (mtools, no mount). */
    private String seedFile(String unitId, String file) throws Exception {
        Path seed = host.volumePath("lodge-" + unitId.substring(0, 8) + "-seed.img");
        Process mtype = new ProcessBuilder("mtype", "-i", seed.toString(), "::" + file).redirectErrorStream(true).start();
        String text = new String(mtype.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(mtype.waitFor(20, java.util.concurrent.TimeUnit.SECONDS) && mtype.exitValue() == 0).as(text).isTrue();
        return text;
    }

    /**
     * The VM changed since its first backup and a quota of the tenant's measured use + 1 byte: the
     * check-size step refuses the new backup (KO, reason on its row), forgets only its snapshot.
     */
    private void overTheQuotaIsKoAndNothingElseIsDeleted(Api api, Vm vm, JsonNode first) throws Exception {
        // The quota API names the tenant by its id.
        String tenant = jdbc.sql("select cast(tenant_id as varchar) from unit where id = cast(:u as uuid)")
                .param("u", vm.id()).query(String.class).single();
        long used = api.json(api.get("/api/tenants/" + tenant + "/backup-quota")).path("usedBytes").asLong();
        assertThat(used).isPositive();
        assertThat(api.put("/api/tenants/" + tenant + "/backup-quota", Map.of("quota", (used + 1) + "B"))
                .getStatusCode().value()).isEqualTo(204);
        ResponseEntity<String> asked = api.post("/api/units/" + vm.id() + "/backups", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        String jobId = api.json(asked).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, Duration.ofSeconds(120));
        String log = api.log(jobId);
        System.out.println("[vm-backup] backup over the quota:\n" + log);
        assertThat(job.path("state").asText()).as(log).isEqualTo("KO");
        assertThat(log).contains("[check-size]").contains("over the tenant's backup quota")
                .contains("no other backup touched").doesNotContain("backup verified");
        JsonNode list = api.json(api.get("/api/units/" + vm.id() + "/backups"));
        assertThat(list).hasSize(2);
        assertThat(list.get(0).path("outcome").asText()).isEqualTo("KO");
        assertThat(list.get(0).path("reason").asText()).startsWith("over the tenant's backup quota");
        assertThat(list.get(0).path("snapshotId").isNull() || list.get(0).path("snapshotId").isMissingNode()).isTrue();
        assertThat(list.get(1).path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(list.get(1).path("outcome").asText()).isEqualTo("OK");
        assertThat(api.json(api.get("/api/tenants/" + tenant + "/backup-quota")).path("usedBytes").asLong())
                .as("measured again without the refused one").isEqualTo(used);
        assertThat(Path.of(backupProps.workDir(), "lodge-" + vm.id().substring(0, 8))).doesNotExist();
    }
}
