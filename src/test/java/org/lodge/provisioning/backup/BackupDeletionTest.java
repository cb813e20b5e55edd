package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.RunningJail;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Deleting one backup by hand. The portal (no worker here) refuses, before any job, a protected
 * backup, one already being deleted or read by a job in progress, a unit with a job in progress,
 * a backup named under another unit (404), a customer (403), a wrong typed confirmation; in the
 * reader's language. Staff get one {@code DELETE_BACKUP} job, audited, from the API, the unit page
 * and the Backups page (a deleted unit's backup too). The job's removal on a real restic
 * repository: BackupReverifyTest; the whole job on a node: JailBackupTest.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupDeletionTest {

    private static final String NODE = "delete-node";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;

    @Test
    void staffDeleteABackupByOneJobAfterTheRefusalsThatComeFirst() throws Exception {
        data.node(NODE, 10L << 30);
        TenantEntity tenant = data.tenant("delete");
        String domain = "del-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        UUID unit = runningJail(tenant, domain);
        UUID other = runningJail(tenant, "del2-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com");
        UUID ok = row(tenant, unit, domain, false);
        UUID kept = row(tenant, unit, domain, true);
        UUID ofOther = row(tenant, other, "other.example.com", false);
        RequestPostProcessor staff = httpBasic(data.staff(), TestData.PASSWORD);
        RequestPostProcessor staffWeb = user(users.loadUserByUsername(data.staff()));
        String api = "/api/units/" + unit + "/backups/";

        mvc.perform(delete(api + ofOther).with(staff)).andExpect(status().isNotFound());
        mvc.perform(delete(api + kept).with(staff)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("backup.delete.protected"));
        mvc.perform(delete(api + kept).with(staff).header("Accept-Language", "it")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("è protetto: togli la protezione")));
        mvc.perform(delete(api + ok).with(httpBasic(data.customer(tenant), TestData.PASSWORD)))
                .andExpect(status().isForbidden());
        mvc.perform(post("/units/" + unit + "/backups/" + ok + "/delete").param("confirm", "not-the-domain")
                        .with(staffWeb).with(csrf()))
                .andExpect(redirectedUrl("/units/" + unit))
                .andExpect(flash().attribute("error", Matchers.containsString("type " + domain + " to confirm")));

        // The unit's one-active-job rule, and a job of another unit reading the backup (a restore into a new jail).
        UUID busy = job(unit, "START_JAIL", "{}");
        mvc.perform(delete(api + ok).with(staff)).andExpect(jsonPath("$.code").value("unit.busy"));
        finish(busy);
        UUID reading = job(other, "RESTORE_NEW_JAIL", "{\"backup\":\"" + ok + "\"}");
        mvc.perform(delete(api + ok).with(staff)).andExpect(jsonPath("$.code").value("backup.delete.in-use"));
        finish(reading);
        assertThat(deleteJobs(ok)).isZero();

        mvc.perform(delete(api + ok).with(staff)).andExpect(status().isAccepted())
                .andExpect(jsonPath("$.kind").value("DELETE_BACKUP")).andExpect(jsonPath("$.node").value(NODE));
        assertThat(deleteJobs(ok)).isOne();
        assertThat(jdbc.sql("select count(*) from audit_event where kind = 'BACKUP_DELETE_REQUESTED' and detail like :d")
                .param("d", "backup " + ok + " of " + domain + "%").query(Long.class).single()).isOne();
        mvc.perform(delete(api + ok).with(staff)).andExpect(jsonPath("$.code").value("backup.delete.in-progress"));
        mvc.perform(post("/units/" + unit + "/backups/" + ok + "/delete").param("confirm", domain).with(staffWeb)
                        .with(csrf()).locale(java.util.Locale.ITALIAN))
                .andExpect(flash().attribute("error", Matchers.containsString("è già in eliminazione")));
        assertThat(deleteJobs(ok)).isOne();

        // The pages: the form for staff on unprotected backups, none for customers.
        String page = mvc.perform(get("/units/" + unit).with(staffWeb)).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("/backups/" + ok + "/delete").doesNotContain("/backups/" + kept + "/delete")
                .contains("type " + domain + " to delete");
        assertThat(mvc.perform(get("/units/" + unit).with(user(users.loadUserByUsername(data.customer(tenant)))))
                .andReturn().getResponse().getContentAsString()).contains("id=\"backups\"").doesNotContain("backup-delete");
        assertThat(mvc.perform(get("/backups").with(staffWeb)).andReturn().getResponse().getContentAsString())
                .contains("action=\"/backups/" + ofOther + "/delete\"");

        // A backup of a deleted unit, from the staff's Backups page.
        UUID gone = UUID.randomUUID();
        UUID orphan = row(tenant, gone, "gone.example.com", false);
        mvc.perform(post("/backups/" + orphan + "/delete").param("unitId", gone.toString()).param("confirm", "nope")
                .with(staffWeb).with(csrf())).andExpect(redirectedUrl("/backups"));
        mvc.perform(post("/backups/" + orphan + "/delete").param("unitId", gone.toString())
                        .param("confirm", "gone.example.com").with(staffWeb).with(csrf()))
                .andExpect(redirectedUrlPattern("/jobs/*"));
        assertThat(deleteJobs(orphan)).isOne();
    }

    private UUID runningJail(TenantEntity tenant, String domain) {
        return RunningJail.of(units, jdbc, tenant.getId(), NODE, domain, data.freeAddress());
    }

    private UUID row(TenantEntity tenant, UUID unit, String domain, boolean protect) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " verified_at, outcome, snapshot_id, protected) values (:id, :t, :u, :d, :n, '/r', now(), true,"
                        + " now(), 'OK', :s, :p)")
                .param("id", id).param("t", tenant.getId()).param("u", unit).param("d", domain).param("n", NODE)
                .param("s", "abc").param("p", protect).update();
        return id;
    }

    private UUID job(UUID unit, String kind, String params) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,"
                        + " idempotency_key, created_by) select :id, :k, 'ENQUEUED', node_name, tenant_id, id, domain, :p,"
                        + " :key, 'test' from unit where id = :u")
                .param("id", id).param("key", id.toString()).param("k", kind).param("p", params).param("u", unit).update();
        return id;
    }

    private void finish(UUID job) {
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where id = :id").param("id", job).update();
    }

    private long deleteJobs(UUID backup) {
        return jdbc.sql("select count(*) from provisioning_job where kind = 'DELETE_BACKUP' and params like :b")
                .param("b", "%" + backup + "%").query(Long.class).single();
    }
}
