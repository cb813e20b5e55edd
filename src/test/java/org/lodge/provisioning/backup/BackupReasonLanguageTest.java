package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.AlertLines;
import org.lodge.provisioning.JobKind;
import org.lodge.provisioning.UnitAlert;
import org.lodge.provisioning.job.JobQueue;
import org.lodge.provisioning.job.JobStore;
import org.lodge.provisioning.usage.UnitAlerts;
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

        backups.failedReverification(job, BackupReason.REVERIFICATION_FAILED.with("pack 1f2e damaged"));
        UnitAlert reverified = alerts.of(unit).stream().filter(a -> a.kind().equals("BACKUP_FAILED")).findFirst().orElseThrow();
        assertThat(lines.line(reverified, Locale.ITALIAN, ZoneId.of("Europe/Rome")))
                .contains("nuova verifica non riuscita: pack 1f2e damaged");
        assertThat(backups.find(job).orElseThrow().reason()).isEqualTo("re-verification failed: pack 1f2e damaged");
    }
}
