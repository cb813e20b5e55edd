package org.lodge.portal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * {@code lodge backup} against a running portal (no worker: jobs stay queued): lists a unit's
 * backups with the failure's reason, sets and reads a tenant's quota as staff, and says the
 * portal's refusal with exit 2 (another tenant's unit: 404; a customer setting a quota: 403; a
 * tenant at its quota: the reason, no job).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "lodge.roles=portal")
@ActiveProfiles("test")
class BackupCommandTest {

    @LocalServerPort
    int port;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;

    final CliRun cli = new CliRun();
    final ByteArrayOutputStream out = cli.out;
    final ByteArrayOutputStream err = cli.err;
    TenantEntity tenant;
    UUID unit;

    @BeforeEach
    void aRunningJailWithAFailedBackup() {
        data.node("cli-backup-node", 10L << 30);
        tenant = data.tenant("cli-backup");
        unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "cli-backup-node", "256M",
                "clibk-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null),
                "staff")).unitId();
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unit).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome, reason)"
                        + " values (:id, :t, :u, 'x.example.com', 'cli-backup-node', '/r', now(), 'KO', 'suspiciously small')")
                .param("id", UUID.randomUUID()).param("t", tenant.getId()).param("u", unit).update();
    }

    private int backup(String user, String... args) {
        return cli.run(BackupCommand::run, port, user, args);
    }

    private String said() {
        return cli.said();
    }

    @Test
    void listsSetsTheQuotaAndSaysThePortalsRefusals() {
        assertThat(backup(data.customer(tenant), "list", "--unit", unit.toString())).as(said()).isZero();
        assertThat(said()).contains("KO").contains("(suspiciously small)");

        TenantEntity other = data.tenant("cli-other");
        out.reset();
        err.reset();
        assertThat(backup(data.customer(other), "list", "--unit", unit.toString())).as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 404");

        assertThat(backup(data.customer(tenant), "quota", "--tenant", tenant.getId().toString(), "--set", "1TB"))
                .as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 403");
        out.reset();
        assertThat(backup(data.staff(), "quota", "--tenant", tenant.getId().toString(), "--set", "5MB")).as(said()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("quota: 5242880 B");

        jdbc.sql("insert into backup_usage (tenant_id, repository, used_bytes, snapshots, measured_at)"
                + " values (:t, '/r', 6000000, 2, :at)").param("t", tenant.getId())
                .param("at", java.sql.Timestamp.from(Instant.now())).update();
        err.reset();
        assertThat(backup(data.customer(tenant), "now", "--unit", unit.toString())).as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 400").contains("already take 6000000 bytes of a quota of 5242880");
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'BACKUP_JAIL'")
                .param("u", unit).query(Long.class).single()).isZero();

        assertThat(backup(data.staff(), "quota", "--tenant", tenant.getId().toString(), "--set", "none")).isZero();
        assertThat(backup(data.staff(), "restore", "--unit", unit.toString())).isEqualTo(2);
        assertThat(said()).contains("restore needs --backup");
    }

    @Test
    void filesAndDownloadSayThePathRefusalsBeforeAnyJob() {
        UUID verified = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome,"
                        + " verified, snapshot_id) values (:id, :t, :u, 'x.example.com', 'cli-backup-node', '/r', now(),"
                        + " 'OK', true, 'abc')").param("id", verified).param("t", tenant.getId()).param("u", unit).update();
        String customer = data.customer(tenant);
        assertThat(backup(customer, "files", "--unit", unit.toString(), "--backup", verified.toString(), "--path",
                "../etc/passwd")).as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 400").contains("climbs up with '..'");
        assertThat(backup(customer, "download", "--unit", unit.toString(), "--backup", verified.toString(), "--path",
                "*.html", "--output", "/tmp/never.tar.zst")).as(said()).isEqualTo(2);
        assertThat(said()).contains("restic reads as a pattern");
        assertThat(backup(customer, "download", "--unit", unit.toString(), "--backup", verified.toString()))
                .isEqualTo(2);
        assertThat(said()).contains("download needs --backup and --output");
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind in"
                + " ('RESTORE_JAIL_FILES', 'DOWNLOAD_JAIL_FILES')").param("u", unit).query(Long.class).single()).isZero();
    }

    @Test
    void deleteSaysTheRefusalsAndQueuesTheJobForStaff() {
        UUID kept = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome,"
                        + " verified, snapshot_id, protected) values (:id, :t, :u, 'x.example.com', 'cli-backup-node', '/r',"
                        + " now(), 'OK', true, 'abc', true)").param("id", kept).param("t", tenant.getId()).param("u", unit)
                .update();
        assertThat(backup(data.staff(), "delete", "--unit", unit.toString())).isEqualTo(2);
        assertThat(said()).contains("delete needs --backup");
        assertThat(backup(data.staff(), "delete", "--unit", unit.toString(), "--backup", kept.toString()))
                .as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 400").contains("is protected");
        assertThat(backup(data.customer(tenant), "delete", "--unit", unit.toString(), "--backup", kept.toString()))
                .as(said()).isEqualTo(2);
        assertThat(said()).contains("the portal answered 403");
        jdbc.sql("update backup set protected = false where id = :id").param("id", kept).update();
        assertThat(backup(data.staff(), "delete", "--unit", unit.toString(), "--backup", kept.toString(),
                "--timeout", "PT0.5S")).as(said()).isEqualTo(3);
        assertThat(said()).contains("queued").contains("gave up waiting");
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'DELETE_BACKUP'")
                .param("u", unit).query(Long.class).single()).isOne();
    }
}
