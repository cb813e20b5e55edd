package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.commons.net.ftp.FTP;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.lodge.support.TestRestic;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The quota through a whole BACKUP_JAIL job on a real jail and a real restic repository: a first
 * backup passes the new check-size step and is verified; with 3 MiB of random data uploaded over
 * FTPS and a quota of what the first takes plus 1 MiB, the next backup ends KO with the reason,
 * its snapshot gone, the first backup and its snapshot kept, {@code restic check} clean, and the
 * jail still running with no job left on it.
 */
@LiveNodeTest
class BackupQuotaLiveTest {

    private static final Duration PATIENCE = Duration.ofMinutes(4);

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitCertificates certificates;

    @Test
    void aBackupOverTheQuotaEndsKoAndLeavesTheOtherBackupAndTheJailAsTheyWere() throws Exception {
        Api api = new Api(rest, "admin", "admin-password-for-tests");
        String tenantName = api.newTenant("quota-live");
        String domain = "ql-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String ip = "10.231.77.220";
        String created = api.createJail(tenantName, "64M", domain, ip);
        String unit = api.awaitOk(created).path("unitId").asText();
        JsonNode credentials = api.json(api.post("/api/jobs/" + created + "/credentials", null));
        String tenant = jdbc.sql("select cast(tenant_id as varchar) from unit where id = cast(:u as uuid)")
                .param("u", unit).query(String.class).single();

        String firstJob = backup(api, unit);
        assertThat(api.awaitEnd(firstJob, PATIENCE).path("state").asText()).as(api.log(firstJob)).isEqualTo("OK");
        assertThat(api.log(firstJob)).contains("not suspiciously small").contains(", no quota");
        long used = api.json(api.get("/api/tenants/" + tenant + "/backup-quota")).path("usedBytes").asLong();
        assertThat(used).isPositive();

        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(10));
        ftp.connect(ip, 21);
        assertThat(ftp.loginPrivate(credentials.path("username").asText(), credentials.path("password").asText())).isTrue();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        byte[] data = new byte[3 << 20];
        ThreadLocalRandom.current().nextBytes(data);
        assertThat(ftp.storeFile("big.bin", new ByteArrayInputStream(data))).as(ftp.getReplyString()).isTrue();
        ftp.logout();
        ftp.disconnect();

        assertThat(api.put("/api/tenants/" + tenant + "/backup-quota", Map.of("quota", (used + (1 << 20)) + "B"))
                .getStatusCode().value()).isEqualTo(204);
        String secondJob = backup(api, unit);
        JsonNode second = api.awaitEnd(secondJob, PATIENCE);
        String log = api.log(secondJob);
        assertThat(second.path("state").asText()).as(log).isEqualTo("KO");
        assertThat(log).contains("over the tenant's backup quota").contains("no other backup touched");

        JsonNode backups = api.json(api.get("/api/units/" + unit + "/backups"));
        assertThat(backups).hasSize(2);
        assertThat(backups.get(0).path("outcome").asText()).isEqualTo("KO");
        assertThat(backups.get(0).path("reason").asText()).startsWith("over the tenant's backup quota: with this backup");
        assertThat(backups.get(0).path("snapshotId").isNull()).isTrue();
        assertThat(backups.get(1).path("id").asText()).isEqualTo(firstJob);
        assertThat(backups.get(1).path("outcome").asText()).isEqualTo("OK");
        JsonNode snapshots = api.json(ResponseEntity.ok(TestRestic.run("snapshots", "--json", "--tag",
                ResticRepository.unitTag(UUID.fromString(unit)))));
        assertThat(snapshots).extracting(s -> s.path("short_id").asText())
                .containsExactly(backups.get(1).path("snapshotId").asText());
        TestRestic.run("check");
        assertThat(api.json(api.get("/api/tenants/" + tenant + "/backup-quota")).path("usedBytes").asLong())
                .as("measured again without the refused one").isEqualTo(used);

        JsonNode jail = api.json(api.get("/api/units/" + unit));
        assertThat(jail.path("state").asText()).isEqualTo("RUNNING");
        api.awaitOk(api.act(unit, "delete"));
    }

    private static String backup(Api api, String unit) {
        ResponseEntity<String> response = api.post("/api/units/" + unit + "/backups", null);
        assertThat(response.getStatusCode().value()).as(response.getBody()).isEqualTo(202);
        return api.json(response).path("id").asText();
    }
}
