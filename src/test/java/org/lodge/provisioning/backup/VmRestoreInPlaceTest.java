package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.NodeProperties;
import org.lodge.provisioning.libvirt.DomainStates;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.provisioning.vm.VmHost;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A VM restored in place (slow: four boots under TCG). A restore whose image does not prove
 * itself (its recorded SHA-256 altered in the row) fails and leaves the VM exactly as it was:
 * running, its changed page served, its disk and seed untouched. The real restore then brings
 * back the backed-up page and passes the HTTP and FTP proofs with a new password.
 */
@LiveNodeTest
@Tag("slow")
class VmRestoreInPlaceTest {

    @Autowired
    TestRestTemplate rest;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    NodeProperties node;
    @Autowired
    VmHost host;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aFailedRestoreLeavesTheVmAsItWasAndARealOneBringsBackTheBackup() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        VmBackupTest.Vm vm = VmBackupTest.newVm(api, node.name(), "10.231.77.231", api.newTenant("vmrs"));
        FtpsClient ftp = login(vm.ip(), vm.user(), vm.password());
        VmBackupTest.put(ftp, "page.html", "<p>v1</p>");
        ftp.disconnect();
        VmBackupTest.backup(api, vm.id());
        String backupId = api.json(api.get("/api/units/" + vm.id() + "/backups")).get(0).path("id").asText();
        ftp = login(vm.ip(), vm.user(), vm.password());
        VmBackupTest.put(ftp, "page.html", "<p>v2</p>");
        ftp.disconnect();
        var disk = host.volumePath("lodge-" + vm.id().substring(0, 8) + ".qcow2");
        var seed = host.volumePath("lodge-" + vm.id().substring(0, 8) + "-seed.img");
        byte[] seedBefore = Files.readAllBytes(seed);

        String sha = jdbc.sql("select vm_facts->>'imageSha256' from backup where id = :id")
                .param("id", UUID.fromString(backupId)).query(String.class).single();
        setSha(backupId, "0".repeat(64));
        String failed = restore(api, vm.id(), backupId);
        JsonNode job = api.awaitEnd(failed, Duration.ofSeconds(150));
        String failedLog = api.log(failed);
        System.out.println("[vm-restore] failed restore:\n" + failedLog);
        assertThat(job.path("state").asText()).isEqualTo("KO");
        assertThat(failedLog).contains("has another SHA-256").contains("started again");
        assertThat(DomainStates.isActive(host.domain("lodge-" + vm.id().substring(0, 8)).orElseThrow())).isTrue();
        assertThat(api.json(api.get("/api/units/" + vm.id())).path("state").asText()).isEqualTo("RUNNING");
        assertThat(Files.readAllBytes(seed)).isEqualTo(seedBefore);
        assertThat(disk.resolveSibling(disk.getFileName() + ".pre-restore")).doesNotExist();
        assertThat(probe.awaitPage(vm.ip(), vm.domain(), "/page.html", Duration.ofSeconds(60)).body())
                .isEqualTo("<p>v2</p>");
        assertThat(loginWhenUp(vm.ip(), vm.user(), vm.password()).isConnected()).isTrue();

        setSha(backupId, sha);
        String ok = restore(api, vm.id(), backupId);
        JsonNode done = api.awaitEnd(ok, Duration.ofSeconds(200));
        String log = api.log(ok);
        System.out.println("[vm-restore] restore in place:\n" + log);
        assertThat(done.path("state").asText()).as(log).isEqualTo("OK");
        assertThat(log).contains("[restore-disk] disk swapped").contains("[test-http]").contains("[test-ftp] FTP login")
                .contains("[drop-previous-disk]");
        // The backed-up disk is back: the v1 uploaded just before the backup (the guest agent's
        // freeze wrote it to the disk), not the v2 written after.
        var page = probe.get(vm.ip(), vm.domain(), "/page.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).isEqualTo("<p>v1</p>");
        JsonNode credentials = api.json(api.post("/api/jobs/" + ok + "/credentials", null));
        loginWhenUp(vm.ip(), vm.user(), credentials.path("password").asText()).disconnect();
        assertThat(disk.resolveSibling(disk.getFileName() + ".pre-restore")).doesNotExist();
        api.awaitOk(api.act(vm.id(), "delete"));
    }

    private void setSha(String backupId, String sha) {
        jdbc.sql("update backup set vm_facts = jsonb_set(vm_facts, '{imageSha256}', to_jsonb(cast(:s as text)))"
                + " where id = :id").param("s", sha).param("id", UUID.fromString(backupId)).update();
    }

    private static String restore(Api api, String unitId, String backupId) {
        ResponseEntity<String> asked = api.post("/api/units/" + unitId + "/backups/" + backupId + "/restore", null);
        assertThat(asked.getStatusCode().value()).as(asked.getBody()).isEqualTo(202);
        return api.json(asked).path("id").asText();
    }

    /** The guest starts its FTP server after its web server: a few tries, bounded. */
    private FtpsClient loginWhenUp(String ip, String user, String password) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return login(ip, user, password);
            } catch (java.net.ConnectException notYet) {
                if (attempt == 30) {
                    throw notYet;
                }
                Thread.sleep(1000);
            }
        }
    }

    private FtpsClient login(String ip, String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(30));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(user, password)).isTrue();
        return ftp;
    }
}
