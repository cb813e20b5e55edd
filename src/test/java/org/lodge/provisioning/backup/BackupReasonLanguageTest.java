package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.AlertDetail;
import org.lodge.provisioning.AlertLines;
import org.lodge.provisioning.StaffDashboard;
import org.lodge.provisioning.alert.AlertEpisodes;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.UnitAlert;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobStore;
import org.lodge.provisioning.usage.UnitAlerts;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A failed backup's reason, written by the real Backups code with its code, is said in Italian on
 * the staff backups page and in the BACKUP_FAILED alert line (mail and pages), in English as before;
 * a re-verification's reason keeps restic's words inside the Italian sentence.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupReasonLanguageTest {

    private static final String NODE = "logwords-node";

    @Autowired
    MockMvc mvc;
    @Autowired
    Backups backups;
    @Autowired
    JobQueue queue;
    @Autowired
    JobStore store;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    UnitAlerts alerts;
    @Autowired
    AlertEpisodes episodes;
    @Autowired
    StaffDashboard dashboard;
    @Autowired
    AlertLines lines;
    @Autowired
    UserDetailsService users;

    @Test
    void aFailedBackupsReasonIsSaidInTheReadersLanguage() throws Exception {
        data.node(NODE, 1L << 30);
        TenantEntity tenant = data.tenant("reasons");
        String domain = "br-" + UUID.randomUUID().toString().substring(0, 8) + ".example.it";
        UUID unit = rows.unit(tenant.getId(), NODE, domain, data.freeAddress());
        UUID job = tx.execute(s -> queue.enqueue(JobKind.BACKUP_JAIL, NODE, tenant.getId(), unit, domain, "{}", null,
                "tester").id());
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome)"
                        + " values (:id, :t, :u, :d, :n, '/r', now(), 'RUNNING')")
                .param("id", job).param("t", tenant.getId()).param("u", unit).param("d", domain).param("n", NODE).update();
        store.lastError(job, "capture-jail: e2fsck found errors in /var/lib/lodge/x.img");
        backups.failed(job);

        assertThat(backups.find(job).orElseThrow().reason()).as("the stored text stays English")
                .isEqualTo("failed in step capture-jail (see the job log)");
        String page = mvc.perform(get("/backups").header("Accept-Language", "it")
                        .with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("non riuscito al passo capture-jail (vedi il log del lavoro)");

        UnitAlert failed = alerts.of(unit).stream().filter(a -> a.kind().equals("BACKUP_FAILED")).findFirst().orElseThrow();
        assertThat(lines.line(failed, Locale.ITALIAN, ZoneId.of("Europe/Rome")))
                .contains("non è riuscito: non riuscito al passo capture-jail (vedi il log del lavoro)");
        assertThat(lines.line(failed, Locale.ENGLISH, ZoneId.of("Europe/Rome")))
                .contains("failed: failed in step capture-jail (see the job log). No good backup");

        // Its episode stores the reason as a code with arguments beside the English parameter (V52).
        episodes.track(Map.of(unit, alerts.of(unit)), Map.of(), Instant.now());
        assertThat(jdbc.sql("select reason_code || ' ' || reason_args::text || ' ' || args[2] from alert_episode"
                        + " where unit_id = :u and kind = 'BACKUP_FAILED'").param("u", unit).query(String.class).single())
                .isEqualTo("backup.reason.failed-in-step [\"capture-jail\"] failed in step capture-jail (see the job log)");
        assertThat(lines.line(openEpisode(unit), Locale.ITALIAN, ZoneId.of("Europe/Rome")))
                .contains("non è riuscito: non riuscito al passo capture-jail (vedi il log del lavoro)");

        backups.failedReverification(job, BackupReason.REVERIFICATION_FAILED.with("pack 1f2e damaged"));
        UnitAlert reverified = alerts.of(unit).stream().filter(a -> a.kind().equals("BACKUP_FAILED")).findFirst().orElseThrow();
        assertThat(lines.line(reverified, Locale.ITALIAN, ZoneId.of("Europe/Rome")))
                .contains("nuova verifica non riuscita: pack 1f2e damaged");
        assertThat(backups.find(job).orElseThrow().reason()).isEqualTo("re-verification failed: pack 1f2e damaged");
    }

    /** An episode opened before V52 kept the coded reason as a JSON text in its parameters: V52 moves it, and it reads as new. */
    @Test
    void anEpisodeStoredBeforeV52ReadsAsANewOne() throws Exception {
        TenantEntity tenant = data.tenant("reasons-v52");
        data.node(NODE, 1L << 30);
        UUID unit = rows.unit(tenant.getId(), NODE, "v52-" + UUID.randomUUID().toString().substring(0, 8) + ".example.it",
                data.freeAddress());
        jdbc.sql("""
                insert into alert_episode (id, subject, unit_id, tenant_id, label, kind, message, args, opened_at)
                values (:id, 'unit:' || :u, :u, :t, 'old.example.it', 'BACKUP_FAILED', 'The backup of 2026-11-20T03:00:00Z failed:'
                        || ' failed in step capture-jail (see the job log). No good backup was taken since.',
                        array['2026-11-20T03:00:00Z', '{"code":"backup.reason.failed-in-step","words":"failed in step'
                              || ' capture-jail (see the job log)","args":["capture-jail"]}'], now())""")
                .param("id", UUID.randomUUID()).param("u", unit).param("t", tenant.getId()).update();
        String migration = Files.readString(Path.of("db/migrations/V52__alert_episode_reason_code.sql"));
        jdbc.sql(migration.substring(migration.indexOf("update alert_episode"))).update();

        assertThat(jdbc.sql("select reason_code || ' ' || reason_args::text || ' ' || args[2] from alert_episode"
                        + " where unit_id = :u").param("u", unit).query(String.class).single())
                .isEqualTo("backup.reason.failed-in-step [\"capture-jail\"] failed in step capture-jail (see the job log)");
        assertThat(lines.line(openEpisode(unit), Locale.ITALIAN, ZoneId.of("Europe/Rome")))
                .contains("non è riuscito: non riuscito al passo capture-jail (vedi il log del lavoro)");
        assertThat(lines.line(openEpisode(unit), Locale.ENGLISH, ZoneId.of("Europe/Rome")))
                .contains("failed: failed in step capture-jail (see the job log). No good backup");
    }

    /** The unit's open episode as the staff dashboard reads it. */
    private AlertDetail openEpisode(UUID unit) {
        return AsStaff.call(dashboard::view).alerts().stream().filter(a -> unit.equals(a.unitId())).findFirst()
                .orElseThrow();
    }
}
