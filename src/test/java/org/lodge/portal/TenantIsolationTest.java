package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.backup.BackupFileIndex;
import org.lodge.provisioning.backup.ResticRepository;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * A customer of tenant B tries every endpoint on tenant A's jail and job: reads answer 404
 * (as if nothing were there), staff-only writes answer 403, lists leave A out.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TenantIsolationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService jails;
    @Autowired
    UserDetailsService users;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @Autowired
    BackupFileIndex index;

    JobView jobOfA;
    UUID jailOfA;
    UUID vmOfA;
    UUID tenantA;
    String domainOfA;
    String customerOfA;
    String customerOfB;

    @BeforeEach
    void twoTenants() {
        data.node("iso-node", 10L << 30);
        TenantEntity a = data.tenant("tenant-a");
        tenantA = a.getId();
        TenantEntity b = data.tenant("tenant-b");
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        domainOfA = "a" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        String ip = data.freeAddress();
        jobOfA = AsStaff.call(() -> jails.requestUnit(UnitRequest.jail(a.getId(), "iso-node", "256M", domainOfA, ip, null), "staff"));
        jailOfA = jobOfA.unitId();
        vmOfA = AsStaff.call(() -> jails.requestUnit(new UnitRequest(a.getId(), "iso-node", UnitKind.VM, "256M", "vm-" + domainOfA,
                data.freeAddress(), "1", "128", "lodge-test", null), "staff")).unitId();
    }

    private List<MockHttpServletRequestBuilder> readsOfA() {
        return List.of(get("/units/" + jailOfA), get("/units/" + vmOfA), get("/units/" + jailOfA + "/console"),
                get("/units/" + vmOfA + "/console"), get("/jobs/" + jobOfA.id()), get("/jobs/" + jobOfA.id() + "/log"),
                get("/jobs/" + jobOfA.id() + "/log.txt"), post("/jobs/" + jobOfA.id() + "/credentials").with(csrf()),
                get("/billing/customers/" + tenantA));
    }

    private List<MockHttpServletRequestBuilder> apiReadsOfA() {
        return List.of(get("/api/units/" + jailOfA), get("/api/units/" + vmOfA), get("/api/units/" + vmOfA + "/snapshots"),
                get("/api/jobs/" + jobOfA.id()),
                get("/api/jobs/" + jobOfA.id() + "/log"), get("/api/jobs/" + jobOfA.id() + "/log.txt"),
                post("/api/jobs/" + jobOfA.id() + "/credentials"), get("/api/billing/customers/" + tenantA + "/usage"),
                get("/api/billing/customers/" + tenantA + "/receipts"), get("/api/billing/customers/" + tenantA + "/account"));
    }

    private List<MockHttpServletRequestBuilder> staffWritesOnA(boolean api) {
        String p = api ? "/api" : "";
        MockHttpServletRequestBuilder create = post(p + "/units").contentType(api ? MediaType.APPLICATION_JSON
                : MediaType.APPLICATION_FORM_URLENCODED).content(api ? "{\"tenant\":\"x\"}" : "domain=x.example.com");
        return Stream.of(create, post(p + "/units/" + jailOfA + "/actions/delete"),
                post(p + "/units/" + jailOfA + "/actions/check-filesystem"),
                post(p + "/units/" + jailOfA + "/grow").contentType(MediaType.APPLICATION_JSON).content("{\"diskSize\":\"1G\"}"),
                // Snapshots themselves are the customers' where staff allow them (SelfServiceRequestsTest); the allowance is staff's.
                api ? put("/api/units/" + vmOfA + "/customer-snapshots").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cap\":\"5\"}") : post("/units/" + vmOfA + "/customer-snapshots").param("cap", "5"),
                post(p + "/units/" + vmOfA + "/clone").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"domain\":\"c.example\",\"ipv4\":\"10.231.99.99\"}"),
                post(p + "/units/" + vmOfA + "/resize").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"vcpus\":\"2\",\"memory\":\"256\"}"),
                api ? get("/api/tenants") : get("/tenants"), api ? get("/api/nodes") : get("/nodes"),
                api ? post("/api/tenants").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\"}") : get("/units/new"),
                api ? put("/api/nodes/iso-node/vm-tcg").contentType(MediaType.APPLICATION_JSON).content("{\"allowed\":true}")
                        : post("/nodes/iso-node/vm-tcg").param("allowed", "true"),
                post(p + "/nodes/iso-node/doctor").param("repair", "true"),
                // Even for their own tenant: where its alerts are mailed, the staff dashboard and dunning, revenue,
                // credit notes and transfers.
                api ? put("/api/tenants/" + tenantA + "/contact").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"contactEmail\":\"me@example.com\"}")
                        : post("/tenants/" + tenantA + "/contact").param("contactEmail", "me@example.com"),
                api ? get("/api/billing/dunning") : get("/dashboard"),
                api ? get("/api/billing/revenue") : get("/billing/dunning"),
                post("/api/billing/invoices/" + UUID.randomUUID() + "/credit-notes").contentType(MediaType.APPLICATION_JSON)
                        .content("{}"),
                post("/api/billing/customers/" + tenantA + "/payments").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"amount\":\"1.00\",\"reference\":\"x\"}"),
                // billing pages: every tenant's balances, transfers and billing details are staff's
                api ? get("/api/billing/balances") : get("/billing/payments"),
                api ? get("/api/billing/balances") : get("/billing/customers"),
                api ? put("/api/billing/customers/" + tenantA).contentType(MediaType.APPLICATION_JSON).content("{}")
                        : post("/billing/customers/" + tenantA + "/details").param("legalName", "x"),
                api ? get("/api/billing/balances") : post("/billing/payments").param("tenantId", tenantA.toString())
                        .param("amount", "1.00").param("reference", "x"),
                post(p + "/billing/customers/" + tenantA + "/payments").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"amount\":\"1.00\",\"reference\":\"x\"}").param("amount", "1.00")
                        .param("reference", "x"),
                // Bulk actions and their batches, even on the customer's own units.
                api ? post("/api/units/bulk").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\":\"stop\",\"unitIds\":[\"" + jailOfA + "\"]}")
                        : post("/units/bulk").param("action", "stop").param("unitIds", jailOfA.toString()),
                get(p + "/batches/" + UUID.randomUUID()))
                .map(r -> api ? r : r.with(csrf())).toList();
    }

    @Test
    void anotherTenantsCustomerGets404OnEveryWebRead() throws Exception {
        for (MockHttpServletRequestBuilder request : readsOfA()) {
            mvc.perform(request.with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        }
    }

    @Test
    void anotherTenantsCustomerCannotReinstallAVm() throws Exception {
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", vmOfA).update();
        mvc.perform(post("/api/units/" + vmOfA + "/actions/reinstall").contentType(MediaType.APPLICATION_JSON)
                .content("{\"confirm\":\"vm-" + domainOfA + "\"}").with(httpBasic(customerOfB, TestData.PASSWORD)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/units/" + vmOfA + "/reinstall").with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isNotFound());
        mvc.perform(post("/units/" + vmOfA + "/actions/reinstall").param("confirm", "vm-" + domainOfA).with(csrf())
                .with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'REINSTALL_VM'")
                .param("u", vmOfA).query(Integer.class).single()).as("nothing queued on A's VM").isZero();
    }

    @Test
    void anotherTenantsCustomerGets404OnEverySelfServiceAction() throws Exception {
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j").param("j", jobOfA.id()).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", jailOfA).update();
        for (String action : List.of("start", "stop", "restart", "reset-ftp-password")) {
            mvc.perform(post("/api/units/" + jailOfA + "/actions/" + action).with(httpBasic(customerOfB, TestData.PASSWORD)))
                    .andExpect(status().isNotFound());
            mvc.perform(post("/units/" + jailOfA + "/actions/" + action).with(csrf())
                    .with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        }
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u").param("u", jailOfA)
                .query(Integer.class).single()).as("nothing queued on A's jail").isOne();
    }

    @Test
    void anotherTenantsCustomerGets404OnEveryApiRead() throws Exception {
        for (MockHttpServletRequestBuilder request : apiReadsOfA()) {
            mvc.perform(request.with(httpBasic(customerOfB, TestData.PASSWORD))).andExpect(status().isNotFound());
        }
    }

    @Test
    void theOwnersCustomerCanRead() throws Exception {
        // Power control is offered for the state the unit is in: as the worker leaves a created VM.
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", vmOfA).update();
        mvc.perform(get("/units/" + jailOfA).with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isOk());
        String vmPage = mvc.perform(get("/units/" + vmOfA).with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        // Customers see power control, snapshots and exports, but not the staff forms.
        assertThat(vmPage).contains("Snapshots").contains("Disk exports").contains("/actions/power-off")
                .doesNotContain("/actions/delete").doesNotContain("/clone");
        mvc.perform(get("/api/jobs/" + jobOfA.id()).with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk());
    }

    @Test
    void listsLeaveOtherTenantsOut() throws Exception {
        for (String path : List.of("/units", "/jobs")) {
            String page = mvc.perform(get(path).with(user(users.loadUserByUsername(customerOfB))))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(page).doesNotContain(domainOfA);
        }
        for (String path : List.of("/api/units", "/api/jobs", "/api/jobs?tenant=" + jobOfA.tenantId())) {
            String body = mvc.perform(get(path).with(httpBasic(customerOfB, TestData.PASSWORD)))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(body).doesNotContain(domainOfA).doesNotContain(jobOfA.id().toString());
        }
        String own = mvc.perform(get("/api/units").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andReturn().getResponse().getContentAsString();
        assertThat(own).contains(domainOfA);
    }

    @Test
    void customersCannotDoStaffWork() throws Exception {
        for (MockHttpServletRequestBuilder request : staffWritesOnA(false)) {
            mvc.perform(request.with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isForbidden());
        }
        for (MockHttpServletRequestBuilder request : staffWritesOnA(true)) {
            mvc.perform(request.with(httpBasic(customerOfA, TestData.PASSWORD))).andExpect(status().isForbidden());
        }
    }

    /** Power control is self-service: the owner's customer may ask, another tenant's gets 404. */
    @Test
    void customersControlThePowerOfTheirOwnUnitsOnly() throws Exception {
        for (String action : List.of("start", "stop", "restart", "power-off", "suspend", "resume", "save", "restore")) {
            // A's VM is still being created, so its own customer's request is refused as busy (400), not forbidden.
            mvc.perform(post("/api/units/" + vmOfA + "/actions/" + action).with(httpBasic(customerOfA, TestData.PASSWORD)))
                    .andExpect(status().isBadRequest());
            mvc.perform(post("/api/units/" + vmOfA + "/actions/" + action).with(httpBasic(customerOfB, TestData.PASSWORD)))
                    .andExpect(status().isNotFound());
            mvc.perform(post("/units/" + vmOfA + "/actions/" + action).with(csrf())
                    .with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        }
    }

    /**
     * A jail backup's file index (stored by the worker when it verified the backup): browsed folder
     * by folder by A's customer, page and API; another tenant gets 404; bad folders are refused.
     */
    @Test
    void aBackupsFileIndexIsBrowsedByItsOwnTenantOnly() throws Exception {
        UUID backup = verifiedBackupOf(jailOfA);
        String api = "/api/units/" + jailOfA + "/backups/" + backup + "/files";
        String page = "/units/" + jailOfA + "/backups/" + backup + "/files";
        // Verified before indexes existed: the API has no folder to give, the page asks for typed paths.
        mvc.perform(get(api).with(httpBasic(customerOfA, TestData.PASSWORD))).andExpect(status().isNotFound());
        assertThat(mvc.perform(get(page).with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString()).contains("no file index").contains("required")
                .doesNotContain("backup-tree");

        String root = "/var/www/" + domainOfA;
        java.time.Instant mtime = java.time.Instant.parse("2026-11-20T10:15:30Z");
        index.store(backup, tenantA, root, List.of(
                new ResticRepository.Entry(root + "/index.html", "file", 1536, mtime),
                new ResticRepository.Entry(root + "/blog", "dir", 0, mtime),
                new ResticRepository.Entry(root + "/blog/a,b.txt", "file", 4, mtime),
                new ResticRepository.Entry(root + "/blog/old", "dir", 0, mtime),
                new ResticRepository.Entry("/etc/passwd", "file", 9, mtime)));

        for (String path : List.of("", "?path=blog", "?path=.")) {
            mvc.perform(get(api + path).with(httpBasic(customerOfB, TestData.PASSWORD))).andExpect(status().isNotFound());
            mvc.perform(get(page + path).with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        }
        // Moving between folders with a selection: the other tenant's unit is not found either.
        mvc.perform(post(page + "/browse").param("go", "blog").param("picked", "index.html").with(csrf())
                .with(user(users.loadUserByUsername(customerOfB)))).andExpect(status().isNotFound());
        mvc.perform(post(page + "/browse").param("go", "blog").param("picked", "index.html").with(csrf())
                .with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().is3xxRedirection());
        String top = mvc.perform(get(api).with(httpBasic(customerOfA, TestData.PASSWORD))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(top).contains("\"path\":\".\"").contains("\"parent\":null")
                .containsSubsequence("\"name\":\"blog\",\"path\":\"blog\",\"type\":\"dir\"",
                        "\"name\":\"index.html\",\"path\":\"index.html\",\"type\":\"file\",\"size\":1536,"
                                + "\"mtime\":\"2026-11-20T10:15:30Z\"")
                .doesNotContain("passwd");
        assertThat(mvc.perform(get(api).param("path", "blog/").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
                .contains("\"path\":\"blog\"", "\"parent\":\".\"", "\"path\":\"blog/a,b.txt\"", "\"path\":\"blog/old\"");
        assertThat(mvc.perform(get(api).param("path", "blog/old").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).contains("\"entries\":[]");
        assertThat(mvc.perform(get(api).param("path", "../etc").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString()).contains("climbs up");
        for (String missing : List.of("nope", "index.html", "/etc")) {
            mvc.perform(get(api).param("path", missing).with(httpBasic(customerOfA, TestData.PASSWORD)))
                    .andExpect(missing.equals("/etc") ? status().isBadRequest() : status().isNotFound());
        }

        String shown = mvc.perform(get(page).param("path", "blog").header("Accept-Language", "it")
                        .with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(shown).contains("backup-tree").contains("value=\"blog/a,b.txt\"").contains("name=\"at\" value=\"blog\"")
                .contains("name=\"go\" value=\"blog/old\"").contains(root).doesNotContain("required");
        assertThat(mvc.perform(get(page).header("Accept-Language", "it").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
                .contains("value=\"index.html\"").contains("1,5 KiB");
        mvc.perform(get(page).param("path", "../x").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isBadRequest());
        mvc.perform(get(page).param("path", "nope").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isNotFound());
    }

    private long backupsRow(UUID backup) {
        return jdbc.sql("select count(*) from backup where id = :id").param("id", backup).query(Long.class).single();
    }

    /** A verified backup row of the unit, as the worker leaves one (no snapshot behind it). */
    private UUID verifiedBackupOf(UUID unit) {
        UUID backup = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " outcome) select :id, tenant_id, id, domain, node_name, '/r', now(), true, 'OK' from unit where id = :u")
                .param("id", backup).param("u", unit).update();
        return backup;
    }

    /** Backups are self-service: the owner's customer lists them; another tenant's gets 404 on every backup endpoint. */
    @Test
    void backupsOfAUnitAreSeenAndRequestedByItsOwnTenantOnly() throws Exception {
        UUID backup = verifiedBackupOf(jailOfA);
        String restore = "/units/" + jailOfA + "/backups/" + backup + "/restore";
        for (MockHttpServletRequestBuilder request : List.of(get("/api/units/" + jailOfA + "/backups"),
                post("/api/units/" + jailOfA + "/backups"), post("/api" + restore))) {
            mvc.perform(request.with(httpBasic(customerOfB, TestData.PASSWORD))).andExpect(status().isNotFound());
        }
        for (MockHttpServletRequestBuilder request : List.of(post("/units/" + jailOfA + "/backups"),
                post(restore).param("confirm", domainOfA))) {
            mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(customerOfB))))
                    .andExpect(status().isNotFound());
        }
        String own = mvc.perform(get("/api/units/" + jailOfA + "/backups").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(own).contains(backup.toString()).contains("\"verified\":true");
        // A's own customer may ask; the jail is still being created, so the answer is "busy" (400), not 403.
        mvc.perform(post("/api/units/" + jailOfA + "/backups").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api" + restore).with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());

        // Single files of the backup and a finished archive: another tenant gets 404 everywhere, A's customer the bytes.
        UUID archive = UUID.randomUUID();
        jdbc.sql("insert into backup_download (job_id, tenant_id, unit_id, backup_id, file_name, size_bytes, sha256,"
                        + " expires_at) select :j, tenant_id, id, :b, 'a.tar.zst', 3, 'x', now() + interval '1 hour'"
                        + " from unit where id = :u").param("j", archive).param("b", backup).param("u", jailOfA).update();
        jdbc.sql("insert into backup_download_chunk (job_id, seq, data) values (:j, 0, :d)").param("j", archive)
                .param("d", new byte[] {1, 2, 3}).update();
        String files = "/units/" + jailOfA + "/backups/" + backup + "/files";
        String download = "/units/" + jailOfA + "/backups/downloads/" + archive;
        for (MockHttpServletRequestBuilder request : List.of(get("/api/units/" + jailOfA + "/backups/downloads"),
                get("/api" + download), post("/api" + files + "/restore").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"paths\":[\"index.html\"]}"), post("/api" + files + "/download")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"paths\":[\"index.html\"]}"))) {
            mvc.perform(request.with(httpBasic(customerOfB, TestData.PASSWORD))).andExpect(status().isNotFound());
        }
        for (MockHttpServletRequestBuilder request : List.of(get(files), get(download),
                post(files + "/restore").param("paths", "index.html"), post(files + "/download").param("paths", "x"))) {
            mvc.perform(request.with(csrf()).with(user(users.loadUserByUsername(customerOfB))))
                    .andExpect(status().isNotFound());
        }
        byte[] bytes = mvc.perform(get("/api" + download).with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        assertThat(bytes).containsExactly(1, 2, 3);
        assertThat(mvc.perform(get(files).with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString()).contains("a.tar.zst").contains("/var/www/" + domainOfA);
        mvc.perform(post("/api" + files + "/download").with(httpBasic(customerOfA, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"paths\":[\"../x\"]}"))
                .andExpect(status().isBadRequest());

        // Staff work: protecting a backup, restoring it into a new jail, re-verifying a node's backups.
        for (String customer : List.of(customerOfA, customerOfB)) {
            mvc.perform(put("/api/units/" + jailOfA + "/backups/" + backup + "/protection").with(httpBasic(customer,
                    TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON).content("{\"protect\":true}"))
                    .andExpect(status().isForbidden());
            mvc.perform(post("/api/units/" + jailOfA + "/backups/" + backup + "/new-unit").with(httpBasic(customer,
                    TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                    .content("{\"domain\":\"copy.example.com\",\"ipv4\":\"10.231.99.77\"}"))
                    .andExpect(status().isForbidden());
            mvc.perform(post("/backups/" + backup + "/new-unit").param("unitId", jailOfA.toString())
                    .param("domain", "copy.example.com").param("ipv4", "10.231.99.77").with(csrf())
                    .with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
            mvc.perform(post("/api/nodes/iso-node/backups/verify").with(httpBasic(customer, TestData.PASSWORD)))
                    .andExpect(status().isForbidden());
            mvc.perform(delete("/api/units/" + jailOfA + "/backups/" + backup).with(httpBasic(customer,
                    TestData.PASSWORD))).andExpect(status().isForbidden());
            mvc.perform(post("/units/" + jailOfA + "/backups/" + backup + "/delete").param("confirm", domainOfA)
                    .with(csrf()).with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
            mvc.perform(post("/backups/" + backup + "/delete").param("unitId", jailOfA.toString())
                    .param("confirm", domainOfA).with(csrf()).with(user(users.loadUserByUsername(customer))))
                    .andExpect(status().isForbidden());
        }
        // Staff naming A's backup under another unit (the VM of A): 404, as for any backup of another unit.
        mvc.perform(delete("/api/units/" + vmOfA + "/backups/" + backup).with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(status().isNotFound());
        assertThat(jdbc.sql("select count(*) from provisioning_job where kind = 'DELETE_BACKUP' and unit_id in (:a, :v)")
                .param("a", jailOfA).param("v", vmOfA).query(Long.class).single()).isZero();
        assertThat(backupsRow(backup)).isOne();
        assertThat(jdbc.sql("select protected from backup where id = :id").param("id", backup).query(Boolean.class)
                .single()).isFalse();
        assertThat(jdbc.sql("select count(*) from provisioning_job where kind in ('RESTORE_NEW_JAIL', 'VERIFY_BACKUPS')"
                + " and node_name = 'iso-node'").query(Long.class).single()).isZero();
    }

    @Test
    void strangersMustLogIn() throws Exception {
        for (RequestBuilder request : apiReadsOfA()) {
            mvc.perform(request).andExpect(status().isUnauthorized());
        }
        mvc.perform(get("/units/" + jailOfA)).andExpect(status().is3xxRedirection());
    }

    @Test
    void webWritesNeedTheCsrfToken() throws Exception {
        mvc.perform(post("/units/" + jailOfA + "/actions/stop").with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isForbidden());
    }

    @Test
    void vmBackupsAreSeenAndRequestedByTheVmsOwnTenantOnly() throws Exception {
        // The VM made and running (no worker here: its creation job is ended by hand).
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", vmOfA).update();
        jdbc.sql("update provisioning_job set state = 'OK' where unit_id = :u").param("u", vmOfA).update();
        UUID backup = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, verified,"
                        + " outcome, unit_kind, vm_facts) select :id, tenant_id, id, domain, node_name, '/r', now(), true,"
                        + " 'OK', 'VM', cast('{}' as jsonb) from unit where id = :u")
                .param("id", backup).param("u", vmOfA).update();
        String restore = "/api/units/" + vmOfA + "/backups/" + backup + "/restore";
        for (MockHttpServletRequestBuilder request : List.of(get("/api/units/" + vmOfA + "/backups"),
                post("/api/units/" + vmOfA + "/backups"), post(restore))) {
            mvc.perform(request.with(httpBasic(customerOfB, TestData.PASSWORD))).andExpect(status().isNotFound());
        }
        mvc.perform(post("/units/" + vmOfA + "/backups").with(csrf()).with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isNotFound());
        assertThat(mvc.perform(get("/api/units/" + vmOfA + "/backups").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).contains(backup.toString());
        // A's customer takes a backup of A's VM: a BACKUP_VM job; a second one within the hour is refused.
        mvc.perform(post("/api/units/" + vmOfA + "/backups").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isAccepted());
        assertThat(jdbc.sql("select kind from provisioning_job where unit_id = :u order by created_at desc limit 1")
                .param("u", vmOfA).query(String.class).single()).isEqualTo("BACKUP_VM");
        mvc.perform(post("/api/units/" + vmOfA + "/backups").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/units/" + vmOfA + "/backups/" + backup + "/new-unit").with(httpBasic(customerOfA,
                TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"domain\":\"copy-vm.example.com\",\"ipv4\":\"10.231.99.78\"}"))
                .andExpect(status().isForbidden());
    }
}
