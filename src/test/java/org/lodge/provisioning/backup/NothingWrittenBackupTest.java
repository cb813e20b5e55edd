package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.jail.JailHost;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestRestic;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The two cheap backups of a real jail (docs/backups.md, "An unchanged backup" and "Nothing
 * written"): after a freeze and thaw by hand (the write counter moved, no file changed) restic
 * finds the same root tree, and the backup is verified by that identity, without a test restore;
 * after a write the backup runs in full; with nothing written since, no freeze and no restic at
 * all (the repository's snapshots stay as they were), in under a second; after a restart (another
 * mount) the backup runs; deleting one of two backups that share a snapshot leaves the other,
 * which then restores in place with the right files.
 */
@LiveNodeTest
class NothingWrittenBackupTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ServiceProbe probe;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    JailHost host;

    @Test
    void anUnchangedBackupIsVerifiedByIdentityAndOneWithNothingWrittenRunsNoRestic() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String domain = "nw-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = "10.231.77.68";
        String created = api.createJail(api.newTenant("nothing-written"), "64M", domain, ip);
        String unit = api.awaitOk(created).path("unitId").asText();
        JsonNode credentials = api.json(api.post("/api/jobs/" + created + "/credentials", null));
        upload(ip, credentials, "one.html", "<p>one</p>");

        String first = backup(api, unit);
        assertThat(api.log(first)).contains("test restore of").contains("write counter at the freeze:");

        // A freeze and thaw by hand writes (journal, superblock) but changes no file: the counter moved, so
        // the backup runs, finds the same tree and stands on the first's test restore.
        freezeAndThaw(unit);
        String second = backup(api, unit);
        String log = api.log(second);
        System.out.println(log);
        assertThat(log).contains("KiB written to the jail's filesystem since the backup of").contains("restic snapshot")
                .contains("the same as snapshot").contains("same files as the backup of")
                .contains("its test restore stands for this one").contains("restic check (structure")
                .contains("file index of /var/www/" + domain + " copied from the backup with the same files")
                .doesNotContain("test restore of").contains("exit status OK");
        assertThat(row(second, "verified_by")).isEqualTo(first);

        upload(ip, credentials, "two.html", "<p>two</p>");
        String third = backup(api, unit);
        assertThat(api.log(third)).contains("KiB written to the jail's filesystem since the backup of")
                .contains("test restore of").doesNotContain("same files as");

        String tag = ResticRepository.unitTag(UUID.fromString(unit));
        int snapshotsBefore = api.json(ResponseEntity.ok(TestRestic.run("snapshots", "--json", "--tag", tag))).size();
        String fourth = backup(api, unit);
        log = api.log(fourth);
        System.out.println(log);
        assertThat(log).contains("nothing written to the jail's filesystem since the backup of")
                .doesNotContain("frozen for").doesNotContain("restic snapshot").contains("exit status OK");
        double seconds = jdbc.sql("select extract(epoch from finished_at - started_at) from provisioning_job"
                + " where id = cast(:id as uuid)").param("id", fourth).query(Double.class).single();
        System.out.println("== nothing written: the backup job took " + seconds + " s");
        assertThat(seconds).as("the job, start to end").isLessThan(1.0);
        assertThat(api.json(ResponseEntity.ok(TestRestic.run("snapshots", "--json", "--tag", tag))))
                .as("restic did not run: no snapshot added").hasSize(snapshotsBefore);
        assertThat(row(fourth, "snapshot_id")).isEqualTo(row(third, "snapshot_id"));
        assertThat(row(fourth, "verified_by")).isEqualTo(third);

        // A restart is another mount (and pure-ftpd writes its pid file again): the backup runs.
        api.awaitOk(api.act(unit, "stop"));
        api.awaitOk(api.act(unit, "start"));
        String fifth = backup(api, unit);
        assertThat(api.log(fifth)).contains("is not the mount of the backup of").contains("restic snapshot");

        // The third backup goes by hand; its snapshot stays, the fourth names it.
        ResponseEntity<String> deletion = api.delete("/api/units/" + unit + "/backups/" + third);
        assertThat(deletion.getStatusCode().value()).as(deletion.getBody()).isEqualTo(202);
        String deleteJob = api.json(deletion).path("id").asText();
        api.awaitOk(deleteJob);
        assertThat(api.log(deleteJob)).contains("kept in the repository: another backup names it");
        assertThat(TestRestic.run("snapshots", "--json", row(fourth, "snapshot_id"))).contains(tag);

        upload(ip, credentials, "one.html", "<p>changed after the backups</p>");
        String restore = api.json(api.post("/api/units/" + unit + "/backups/" + fourth + "/restore", null))
                .path("id").asText();
        api.awaitOk(restore);
        assertThat(probe.get(ip, domain, "/one.html").body()).isEqualTo("<p>one</p>");
        assertThat(probe.get(ip, domain, "/two.html").body()).isEqualTo("<p>two</p>");
        api.awaitOk(api.act(unit, "delete"));
    }

    private void freezeAndThaw(String unit) throws Exception {
        String libvirtName = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", unit)
                .query(String.class).single();
        String mounted = host.mountPoint(libvirtName).toString();
        for (String how : new String[] {"--freeze", "--unfreeze"}) {
            assertThat(new ProcessBuilder("/usr/sbin/fsfreeze", how, mounted).inheritIO().start().waitFor()).isZero();
        }
    }

    private String backup(Api api, String unit) throws InterruptedException {
        ResponseEntity<String> response = api.post("/api/units/" + unit + "/backups", null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        String jobId = api.json(response).path("id").asText();
        JsonNode job = api.awaitEnd(jobId, PATIENCE);
        assertThat(job.path("state").asText()).as(api.log(jobId)).isEqualTo("OK");
        return jobId;
    }

    private String row(String backup, String column) {
        return jdbc.sql("select cast(" + column + " as varchar) from backup where id = cast(:id as uuid)")
                .param("id", backup).query(String.class).single();
    }

    private void upload(String ip, JsonNode credentials, String name, String content) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(credentials.path("username").asText(), credentials.path("password").asText())).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        assertThat(ftp.storeFile(name, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))))
                .as(ftp.getReplyString()).isTrue();
        ftp.logout();
        ftp.disconnect();
    }
}
