package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Schedules without a worker: the clustered Quartz dispatcher turns a jail's policy into a queued
 * BACKUP_JAIL job (the worker's part is JailBackupTest's), bad input is refused before anything is
 * stored, only staff set schedules, and jitter spreads units inside its window.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupScheduleTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    BackupScheduler scheduler;

    @Test
    void aShortCronQueuesABackupOfTheJailAndNeverASecondBesideIt() throws Exception {
        data.node("sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("sched");
        String staff = data.staff();
        String customer = data.customer(tenant);
        UUID jail = runningJail(tenant);

        String schedule = "/api/units/" + jail + "/backups/schedule";
        mvc.perform(put(schedule).with(httpBasic(staff, TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cron\":\"every night\",\"jitterSeconds\":-5,\"keepDaily\":10001}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.keepDaily").value("10001 is outside 0–10000 backups"))
                .andExpect(jsonPath("$.errors.cron").value(org.hamcrest.Matchers.containsString("is not a cron expression")))
                .andExpect(jsonPath("$.errors.jitterSeconds").value("-5 is outside 0–86400 seconds"));
        mvc.perform(put(schedule).with(httpBasic(customer, TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"cron\":\"0/2 * * * * ?\"}")).andExpect(status().isForbidden());
        assertThat(jdbc.sql("select count(*) from backup_policy where unit_id = :u").param("u", jail)
                .query(Long.class).single()).as("nothing stored").isZero();

        mvc.perform(put(schedule).with(httpBasic(staff, TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"cron\":\"0/2 * * * * ?\",\"jitterSeconds\":0}")).andExpect(status().isNoContent());
        // Patient: on a node busy with other builds the dispatcher's Quartz thread may be late.
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (scheduledJobs(jail) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(scheduledJobs(jail)).as("queued by the dispatcher; due: %s, dispatcher trigger: %s",
                jdbc.sql("select due_at from backup_due where unit_id = :u").param("u", jail).query(String.class).list(),
                jdbc.sql("select trigger_state || ' next ' || next_fire_time || ' prev ' || prev_fire_time"
                        + " from qrtz_triggers where trigger_name = 'backup-dispatch'").query(String.class).list())
                .isEqualTo(1);
        mvc.perform(get("/api/units/" + jail + "/backups/next").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.dueAt").exists());

        // The queued backup is the unit's job: later runs wait for it instead of piling up.
        scheduler.dispatch(Instant.now().plusSeconds(3600));
        Thread.sleep(2500);
        assertThat(scheduledJobs(jail)).isEqualTo(1);

        mvc.perform(put(schedule).with(httpBasic(staff, TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"cron\":\"0/2 * * * * ?\",\"enabled\":false}")).andExpect(status().isNoContent());
        scheduler.dispatch(Instant.now());
        mvc.perform(get("/api/units/" + jail + "/backups/next").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isNoContent());
    }

    @Test
    void aTenantsDefaultGovernsItsJailsWithoutTheirOwn() throws Exception {
        data.node("sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("sched-default");
        UUID jail = runningJail(tenant);
        mvc.perform(put("/api/tenants/" + tenant.getId() + "/backup-schedule").with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"cron\":\"0 30 2 * * ?\",\"jitterSeconds\":3600}"))
                .andExpect(status().isNoContent());
        scheduler.dispatch(Instant.now());
        Instant due = scheduler.nextRun(jail).orElseThrow();
        LocalDateTime local = LocalDateTime.ofInstant(due, ZoneId.systemDefault());
        assertThat(local.toLocalTime()).isBetween(java.time.LocalTime.of(2, 30), java.time.LocalTime.of(3, 30));
        assertThat(due).isAfter(Instant.now()).isBefore(Instant.now().plusSeconds(86_400 + 3600));
    }

    @Test
    void theStaffsBackupsPageShowsFailuresFirstAndIsStaffOnly() throws Exception {
        data.node("sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("sched-page");
        UUID jail = runningJail(tenant);
        for (String[] row : new String[][] {{"OK", "2026-11-25T10:00:00Z"}, {"KO", "2026-11-20T10:00:00Z"}}) {
            jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                            + " outcome, reason) select :id, tenant_id, id, domain, node_name, '/r', cast(:at as timestamptz),"
                            + " :v, :o, :r from unit where id = :u")
                    .param("id", UUID.randomUUID()).param("at", row[1]).param("v", row[0].equals("OK"))
                    .param("o", row[0]).param("r", row[0].equals("KO") ? "failed in step verify (see the job log)" : null)
                    .param("u", jail).update();
        }
        String page = mvc.perform(get("/backups").with(
                        org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors
                                .user(data.staff()).roles("STAFF")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        // Shown in the reader's zone and language (Europe/Rome, English): "Nov 25, 2026, 11:00:00 AM".
        assertThat(page.indexOf("failed in step verify")).isPositive().isLessThan(page.indexOf("Nov 25, 2026"));
        mvc.perform(get("/backups").with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.user(data.customer(tenant)).roles("CUSTOMER")))
                .andExpect(status().isForbidden());
    }

    @Test
    void onlyStaffProtectABackupAndAnotherUnitsBackupIsNotFound() throws Exception {
        data.node("sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("sched-protect");
        UUID jail = runningJail(tenant);
        UUID other = runningJail(data.tenant("sched-protect-other"));
        UUID backup = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " outcome, snapshot_id) select :id, tenant_id, id, domain, node_name, '/r', now(), true, 'OK', 'abc'"
                        + " from unit where id = :u")
                .param("id", backup).param("u", jail).update();
        String body = "{\"protect\":true}";
        mvc.perform(put("/api/units/" + jail + "/backups/" + backup + "/protection")
                        .with(httpBasic(data.customer(tenant), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/units/" + other + "/backups/" + backup + "/protection")
                        .with(httpBasic(data.staff(), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isNotFound());
        assertThat(jdbc.sql("select protected from backup where id = :id").param("id", backup).query(Boolean.class)
                .single()).isFalse();
        mvc.perform(put("/api/units/" + jail + "/backups/" + backup + "/protection")
                        .with(httpBasic(data.staff(), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isNoContent());
        assertThat(jdbc.sql("select protected from backup where id = :id").param("id", backup).query(Boolean.class)
                .single()).isTrue();
    }

    @Test
    void aCustomerAsksForOneOnDemandBackupPerIntervalStaffForMore() throws Exception {
        data.node("sched-node", 10L << 30);
        TenantEntity tenant = data.tenant("sched-rate");
        UUID jail = runningJail(tenant);
        String customer = data.customer(tenant);
        mvc.perform(post("/api/units/" + jail + "/backups").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isAccepted());
        // As if the worker had taken it.
        jdbc.sql("update provisioning_job set state = 'OK' where unit_id = :u").param("u", jail).update();
        mvc.perform(post("/api/units/" + jail + "/backups").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.action").value(org.hamcrest.Matchers.containsString(
                        "the next on-demand backup is possible from")));
        mvc.perform(post("/api/units/" + jail + "/backups").with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(status().isAccepted());
    }

    @Test
    void jitterSpreadsUnitsInsideItsWindowAndKeepsEachUnitsOffset() {
        Instant after = Instant.parse("2026-11-25T12:00:00Z");
        Set<Instant> starts = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            UUID unit = UUID.randomUUID();
            Instant first = BackupScheduler.next("0 0 * * * ?", 1800, unit, after);
            assertThat(first).isBetween(Instant.parse("2026-11-25T12:00:00Z"), Instant.parse("2026-11-25T13:30:00Z"));
            Instant second = BackupScheduler.next("0 0 * * * ?", 1800, unit, first);
            assertThat(second).as("one period later, same offset").isEqualTo(first.plusSeconds(3600));
            starts.add(first);
        }
        assertThat(starts.size()).as("spread, not all at once").isGreaterThan(40);
        assertThat(BackupScheduler.next("0 0 * * * ?", 0, UUID.randomUUID(), after))
                .isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
    }


    private long scheduledJobs(UUID jail) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'BACKUP_JAIL'"
                + " and created_by = 'schedule'").param("u", jail).query(Long.class).single();
    }

    /** A jail as the worker would leave it after its creation (no worker here). */
    private UUID runningJail(TenantEntity tenant) {
        String domain = "s" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        UUID jail = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "sched-node", "256M", domain,
                data.freeAddress(), null), "staff")).unitId();
        jdbc.sql("update provisioning_job set state = 'OK' where unit_id = :u").param("u", jail).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", jail).update();
        return jail;
    }
}
