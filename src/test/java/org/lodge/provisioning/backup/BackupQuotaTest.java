package org.lodge.provisioning.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.BackupView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.host.HostCommands;
import org.lodge.provisioning.unit.UnitRepository;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.util.unit.DataSize;

/**
 * The tenant's backup quota with a real restic repository: a backup that would exceed it is
 * refused (its own snapshot leaves the repository, the other backups stay, {@code restic check}
 * clean); "suspiciously small" judged against the used space; staff alone set the quota, by API
 * and tenant page; a tenant already at its quota gets a clear error before any job exists.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BackupQuotaTest {

    private static final String NODE = "quota-node";

    @TempDir
    Path dir;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TestData data;
    @Autowired
    Backups backups;
    @Autowired
    BackupQuotas quotas;
    @Autowired
    UnitRepository units;
    @Autowired
    UnitService unitService;
    @Autowired
    MockMvc mvc;
    @Autowired
    org.lodge.provisioning.BackupQuotaService quotaService;
    @Autowired
    org.lodge.provisioning.BackupPolicyService policyService;
    @Autowired
    org.springframework.security.core.userdetails.UserDetailsService users;

    private static final BackupChecksProperties CHECKS = new BackupChecksProperties(0.10, DataSize.ofMegabytes(32));

    @Test
    void aBackupOverTheQuotaIsRefusedAndNothingElseIsDeleted() throws Exception {
        Judging j = judging("quota");
        TenantEntity tenant = j.tenant();
        ResticRepository restic = j.restic();
        CheckBackup check = j.check();
        UUID unit = UUID.randomUUID();
        List<String> log = new ArrayList<>();

        BackupView first = taken(restic, tenant, unit, "first", 1_000_000);
        check.judge(tenant.getId(), unit, first, 8L << 20, log::add);
        assertThat(log).anyMatch(l -> l.contains("over 1 snapshot(s)), no quota"));
        long afterFirst = quotas.usage(tenant.getId()).usedBytes();
        assertThat(afterFirst).as("raw data of 1 MB of random bytes").isBetween(900_000L, 1_200_000L);
        jdbc.sql("update backup set outcome = 'OK', verified = true where id = :id").param("id", first.id()).update();

        assertThat(quotas.setQuota(tenant.getId(), afterFirst + 300_000)).isTrue();
        BackupView second = taken(restic, tenant, unit, "second", 1_000_000);
        log.clear();
        assertThatThrownBy(() -> check.judge(tenant.getId(), unit, second, 8L << 20, log::add))
                .hasMessageStartingWith("over the tenant's backup quota: with this backup its backups would take 1.")
                .hasMessageContaining("no other backup was deleted");
        assertThat(log).anyMatch(l -> l.equals("snapshot " + second.snapshotId()
                + " removed from the repository; no other backup touched"));
        backups.failed(second.id());
        BackupView refused = backups.find(second.id()).orElseThrow();
        assertThat(refused.outcome()).isEqualTo("KO");
        assertThat(refused.snapshotId()).isNull();
        assertThat(refused.reason()).startsWith("over the tenant's backup quota");
        assertThat(backups.find(first.id()).orElseThrow().outcome()).isEqualTo("OK");
        restic.snapshot(first.snapshotId());
        assertThatThrownBy(() -> restic.snapshot(second.snapshotId())).isInstanceOf(IllegalStateException.class);
        restic.check(); // throws unless restic check exits 0: the repository is clean after the refusal
        assertThat(quotas.usage(tenant.getId()).usedBytes()).as("measured again without it").isEqualTo(afterFirst);

        // A small one fits: deduplicated against the first, its few new bytes count.
        BackupView third = taken(restic, tenant, unit, "third", 10_000);
        log.clear();
        check.judge(tenant.getId(), unit, third, 8L << 20, log::add);
        assertThat(quotas.usage(tenant.getId()).snapshots()).isEqualTo(2);

        // From a unit using 200 MiB, 10 kB is suspiciously small: refused the same way.
        BackupView fourth = taken(restic, tenant, unit, "fourth", 10_000);
        assertThatThrownBy(() -> check.judge(tenant.getId(), unit, fourth, 200L << 20, log::add))
                .hasMessageStartingWith("suspiciously small: 0.0 MiB backed up while the unit uses 200.0 MiB");
        assertThatThrownBy(() -> restic.snapshot(fourth.snapshotId())).isInstanceOf(IllegalStateException.class);
        restic.snapshot(third.snapshotId());
    }

    @Test
    void anUnchangedBackupAgainstItsParentReusesTheLastMeasureInsteadOfResticStats() throws Exception {
        Judging j = judging("unchanged");
        UUID tenantId = j.tenant().getId();
        UUID unit = UUID.randomUUID();
        List<String> log = new ArrayList<>();
        BackupView first = taken(j.restic(), j.tenant(), unit, "site", 1_000_000);
        j.check().judge(tenantId, unit, first, 8L << 20, log::add);
        assertThat(backups.unchangedFrom(first.id())).as("no parent named").isEmpty();

        // The same tree again, its parent named: restic reads nothing new, the measure is reused.
        BackupView second = again(j.restic(), j.tenant(), unit, "site", first.snapshotId());
        assertThat(backups.unchangedFrom(second.id())).contains(first.snapshotId());
        log.clear();
        j.check().judge(tenantId, unit, second, 8L << 20, log::add);
        assertThat(log).anyMatch(l -> l.contains("the last measure over the 1 other snapshot(s), no restic stats"));
        assertThat(quotas.usage(tenantId).usedBytes()).as("what restic stats says of both")
                .isEqualTo(j.restic().rawDataSize(List.of(first.snapshotId(), second.snapshotId())));
        assertThat(quotas.usage(tenantId).snapshots()).isEqualTo(2);

        // A changed file: measured by restic again. A parent the repository lacks: dropped, not fatal.
        Files.writeString(dir.resolve("trees/site/new.txt"), "changed");
        BackupView third = again(j.restic(), j.tenant(), unit, "site", second.snapshotId());
        assertThat(backups.unchangedFrom(third.id())).isEmpty();
        log.clear();
        j.check().judge(tenantId, unit, third, 8L << 20, log::add);
        assertThat(log).anyMatch(l -> l.contains("(restic stats --mode raw-data over 3 snapshot(s))"));
        BackupView fourth = again(j.restic(), j.tenant(), unit, "site", "deadbeef");
        assertThat(backups.unchangedFrom(fourth.id())).isEmpty();
        j.restic().snapshot(fourth.snapshotId());
    }

    /** A tenant of its own, a fresh repository and the check-size step over it. */
    private record Judging(TenantEntity tenant, ResticRepository restic, CheckBackup check) {
    }

    private Judging judging(String tenantName) {
        data.node(NODE, 10L << 30);
        BackupProperties props = props();
        ResticRepository restic = new ResticRepository(new HostCommands(), props, new ObjectMapper());
        return new Judging(data.tenant(tenantName), restic, new CheckBackup(units,
                new JailSnapshots(new HostCommands(), props), restic, backups, quotas, CHECKS));
    }

    private BackupView again(ResticRepository restic, TenantEntity tenant, UUID unit, String name, String parent)
            throws Exception {
        ResticRepository.Summary summary = restic.backup(dir.resolve("trees").resolve(name), NODE,
                List.of(ResticRepository.unitTag(unit)), parent);
        return row(restic, tenant, unit, summary);
    }

    @Test
    void suspiciouslySmallIsJudgedAgainstTheUsedSpaceAboveTheFloor() {
        long mib = 1L << 20;
        assertThat(CheckBackup.suspiciouslySmall(1 * mib, 100 * mib, CHECKS)).hasValueSatisfying(reason ->
                assertThat(reason).isEqualTo("suspiciously small: 1.0 MiB backed up while the unit uses 100.0 MiB"
                        + " (less than 10 % of it)"));
        assertThat(CheckBackup.suspiciouslySmall(10 * mib, 100 * mib, CHECKS)).isEmpty();
        assertThat(CheckBackup.suspiciouslySmall(0, 31 * mib, CHECKS)).as("below the floor: not judged").isEmpty();
        assertThat(CheckBackup.suspiciouslySmall(0, 100 * mib, new BackupChecksProperties(0, DataSize.ofMegabytes(32))))
                .as("ratio 0: off").isEmpty();
        assertThat(CheckBackup.suspiciouslySmall(59 * mib, 100 * mib, new BackupChecksProperties(0.6, DataSize.ofBytes(0))))
                .isPresent();
    }

    @Test
    void staffAloneSetTheQuotaAndAFullTenantIsRefusedBeforeAnyJob() throws Exception {
        data.node(NODE, 10L << 30);
        TenantEntity tenant = data.tenant("quota-api");
        TenantEntity other = data.tenant("quota-other");
        String path = "/api/tenants/" + tenant.getId() + "/backup-quota";
        mvc.perform(put(path).with(httpBasic(data.customer(tenant), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"quota\":\"1TB\"}")).andExpect(status().isForbidden());
        mvc.perform(get(path).with(httpBasic(data.customer(other), TestData.PASSWORD))).andExpect(status().isForbidden());
        mvc.perform(put(path).with(httpBasic(data.staff(), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"quota\":\"ten gigs\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("is not a size")));
        mvc.perform(put("/api/tenants/" + UUID.randomUUID() + "/backup-quota").with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"quota\":\"1GB\"}")).andExpect(status().isNotFound());
        mvc.perform(put(path).with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"quota\":\"10MB\"}")).andExpect(status().isNoContent());
        mvc.perform(get(path).with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(jsonPath("$.quotaBytes").value(10L << 20)).andExpect(jsonPath("$.usedBytes").value(0));

        // The tenant page's form (staff); customers cannot post it.
        mvc.perform(post("/tenants/" + tenant.getId() + "/backup-quota").param("quota", "1GB").with(csrf())
                .with(user(users.loadUserByUsername(data.customer(tenant))))).andExpect(status().isForbidden());
        mvc.perform(post("/tenants/" + tenant.getId() + "/backup-quota").param("quota", "20MB").with(csrf())
                .with(user(users.loadUserByUsername(data.staff())))).andExpect(status().is3xxRedirection());
        assertThat(quotas.quotaOf(tenant.getId())).contains(20L << 20);
        String page = mvc.perform(get("/tenants/" + tenant.getId()).with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"backup-quota\"").contains("of a quota of 20.0 MiB");

        // Already full: an on-demand backup is refused with the reason, no job.
        UUID unit = AsStaff.call(() -> unitService.requestUnit(UnitRequest.jail(tenant.getId(), NODE, "256M",
                "quota-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null),
                "staff")).unitId();
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unit).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", unit).update();
        quotas.measured(tenant.getId(), "/elsewhere", 21L << 20, List.of("a", "b", "c"), java.time.Instant.now());
        mvc.perform(post("/api/units/" + unit + "/backups").with(httpBasic(data.customer(tenant), TestData.PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("already take")));
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'BACKUP_JAIL'")
                .param("u", unit).query(Long.class).single()).isZero();
        mvc.perform(put(path).with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"quota\":null}")).andExpect(status().isNoContent());
        assertThat(quotas.quotaOf(tenant.getId())).isEmpty();
    }

    @Test
    @org.springframework.security.test.context.support.WithMockUser(username = "quota-customer", roles = "CUSTOMER")
    void aCustomerCallingTheQuotaAndPolicyMethodsDirectlyIsDenied() {
        TenantEntity tenant = data.tenant("quota-direct");
        assertThatThrownBy(() -> quotaService.setQuota(tenant.getId(), "1PB"))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        assertThatThrownBy(() -> policyService.ofTenant(tenant.getId()))
                .isInstanceOf(org.springframework.security.access.AccessDeniedException.class);
        assertThat(quotas.quotaOf(tenant.getId())).isEmpty();
        assertThatThrownBy(() -> quotaService.usage(tenant.getId(), org.lodge.provisioning.TenantScope.of(UUID.randomUUID())))
                .as("another tenant's quota is missing").isInstanceOf(org.lodge.provisioning.NotFoundException.class);
    }

    /** A backup taken into the real repository and its row as the backup step leaves it (UNVERIFIED). */
    private BackupView taken(ResticRepository restic, TenantEntity tenant, UUID unit, String name, int bytes)
            throws Exception {
        Path tree = Files.createDirectories(dir.resolve("trees").resolve(name));
        byte[] content = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(content);
        Files.write(tree.resolve(name + ".bin"), content);
        return row(restic, tenant, unit, restic.backup(tree, NODE, List.of(ResticRepository.unitTag(unit))));
    }

    private BackupView row(ResticRepository restic, TenantEntity tenant, UUID unit, ResticRepository.Summary summary) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome)"
                        + " values (:id, :t, :u, 'site.example.com', :n, :r, now(), 'RUNNING')")
                .param("id", id).param("t", tenant.getId()).param("u", unit).param("n", NODE)
                .param("r", restic.location()).update();
        backups.taken(id, summary, null);
        return backups.find(id).orElseThrow();
    }

    private BackupProperties props() {
        return new BackupProperties(dir.resolve("repo").toString(), dir.resolve("restic.password").toString(),
                dir.resolve("cache").toString(), dir.resolve("work").toString(), "100%", Duration.ofMinutes(5),
                Duration.ofSeconds(30), 2, Duration.ofHours(1), "0 0 4 ? * SUN", Duration.ofDays(30));
    }
}
