package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitKind;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The self-service requests on a unit, through the real filter chain and database (no worker:
 * what is checked is what gets queued). A reinstall needs the domain typed exactly: a mismatch is
 * refused with a translated message naming the domain, on the API and on the confirmation page,
 * and queues nothing; another tenant's customer gets 404 on every new endpoint and queues
 * nothing. VM snapshots are refused to customers until staff open them, then allowed up to the
 * cap staff set.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class SelfServiceRequestsTest {

    private static final String NODE = "selfservice-node";

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;
    @Autowired
    ObjectMapper json;

    String customer;
    String stranger;
    String staff;
    String domain;
    UUID jail;
    UUID vm;

    @BeforeEach
    void aJailAndAVmOfOneTenant() {
        data.node(NODE, 10L << 30);
        TenantEntity tenant = data.tenant("selfservice");
        customer = data.customer(tenant);
        stranger = data.customer(data.tenant("selfservice-other"));
        staff = data.staff();
        domain = "s" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        jail = running(AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), NODE, "256M", domain,
                data.freeAddress(), null), "staff")));
        vm = running(AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant.getId(), NODE, UnitKind.VM, "256M",
                "vm-" + domain, data.freeAddress(), "1", "128", "lodge-test", null), "staff")));
    }

    private UUID running(JobView job) {
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j").param("j", job.id()).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", job.unitId()).update();
        return job.unitId();
    }

    @Test
    void aReinstallIsQueuedOnlyWhenTheDomainIsTypedExactly() throws Exception {
        String path = "/api/units/" + jail + "/actions/reinstall";
        long before = jobs(jail);
        assertThat(api(post(path), customer, "{\"confirm\":\"example.com\"}").andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString()).contains("Type the domain " + domain + " exactly");
        assertThat(mvc.perform(post(path).with(httpBasic(customer, TestData.PASSWORD)).header("Accept-Language", "it")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"confirm\":\" \"}"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString())
                .contains("Scrivi esattamente il dominio " + domain);
        api(post(path), customer, "{}").andExpect(status().isBadRequest());
        api(post(path), stranger, "{\"confirm\":\"" + domain + "\"}").andExpect(status().isNotFound());
        api(post(path), customer, "{\"confirm\":\"" + domain + "\",\"template\":\"lodge-test\"}")
                .andExpect(status().isBadRequest());
        api(post("/api/units/" + vm + "/actions/reinstall"), customer, "{\"confirm\":\"" + domain + "\"}")
                .andExpect(status().isBadRequest());
        // The generic action endpoint never skips the confirmation.
        mvc.perform(post("/units/" + jail + "/actions/reinstall").with(csrf())
                .with(user(users.loadUserByUsername(customer)))).andExpect(status().isOk());
        assertThat(jobs(jail)).as("nothing queued by any refusal").isEqualTo(before);

        // The confirmation page: a mismatch comes back on it with the message, nothing queued.
        Document page = page("/units/" + jail + "/reinstall", customer);
        assertThat(page.select("select[name=template] option").eachAttr("value")).containsExactly("busybox", "web-php");
        Document refused = Jsoup.parse(mvc.perform(post("/units/" + jail + "/actions/reinstall").with(csrf())
                .with(user(users.loadUserByUsername(customer))).param("confirm", "wrong.example.com"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(refused.select("ul.errors li[data-field=confirm]").text()).contains(domain);
        Document italian = Jsoup.parse(mvc.perform(post("/units/" + jail + "/actions/reinstall").with(csrf())
                .with(user(users.loadUserByUsername(customer))).header("Accept-Language", "it")
                .param("confirm", "wrong.example.com")).andReturn().getResponse().getContentAsString());
        assertThat(italian.select("ul.errors li[data-field=confirm]").text())
                .startsWith("Scrivi esattamente il dominio " + domain);
        mvc.perform(get("/units/" + jail + "/reinstall").with(user(users.loadUserByUsername(stranger))))
                .andExpect(status().isNotFound());
        mvc.perform(post("/units/" + jail + "/actions/reinstall").with(csrf())
                .with(user(users.loadUserByUsername(stranger))).param("confirm", domain)).andExpect(status().isNotFound());
        assertThat(jobs(jail)).isEqualTo(before);

        String queued = mvc.perform(post("/units/" + jail + "/actions/reinstall").with(csrf())
                        .with(user(users.loadUserByUsername(customer))).param("confirm", domain).param("template", "web-php"))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        UUID job = UUID.fromString(queued.substring("/jobs/".length()));
        JsonNode params = json.readTree(jdbc.sql("select params from provisioning_job where id = :j").param("j", job)
                .query(String.class).single());
        assertThat(params.path("template").asText()).isEqualTo("web-php");
        assertThat(params.path("from").path("template").asText()).isEqualTo("busybox");
        assertThat(jdbc.sql("select kind from provisioning_job where id = :j").param("j", job).query(String.class)
                .single()).isEqualTo("REINSTALL_JAIL");
    }

    @Test
    void theUnitPageOffersReinstallOnARunningOrStoppedJailOnly() throws Exception {
        assertThat(page("/units/" + jail, customer).getElementById("reinstall-link")).isNotNull();
        jdbc.sql("update unit set state = 'STOPPED' where id = :u").param("u", jail).update();
        Document stopped = page("/units/" + jail, customer);
        assertThat(stopped.getElementById("reinstall-link")).isNotNull();
        assertThat(stopped.select("button").eachText()).contains("start").doesNotContain("stop");
        jdbc.sql("update unit set state = 'PROVISIONING' where id = :u").param("u", jail).update();
        assertThat(page("/units/" + jail, customer).getElementById("reinstall-link")).isNull();
        assertThat(page("/units/" + vm, customer).getElementById("reinstall-link")).as("a running VM").isNotNull();
        jdbc.sql("update unit set state = 'PAUSED' where id = :u").param("u", vm).update();
        assertThat(page("/units/" + vm, customer).getElementById("reinstall-link")).as("a paused VM").isNull();
    }

    @Test
    void aVmReinstallOffersAndAcceptsOnlyTemplatesThatFitItsShape() throws Exception {
        jdbc.sql("insert into unit_template (node_name, name, kind, os, version, min_disk_bytes, min_memory_mib,"
                + " customisation, is_default, enabled) values (:n, 'big-vm', 'VM', 'Big', 'big-1', 67108864, 512, 'x',"
                + " false, true), (:n, 'old-vm', 'VM', 'Old', 'old-1', 67108864, 64, 'x', false, false)"
                + " on conflict do nothing").param("n", NODE).update();
        String path = "/api/units/" + vm + "/actions/reinstall";
        long before = jobs(vm);
        assertThat(api(post(path), customer, "{\"confirm\":\"vm-" + domain + "\",\"template\":\"big-vm\"}")
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString())
                .contains("Template big-vm needs 512 MiB of memory at least; this VM has 128 MiB");
        assertThat(mvc.perform(post(path).with(httpBasic(customer, TestData.PASSWORD)).header("Accept-Language", "it")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"confirm\":\"vm-" + domain + "\",\"template\":\"big-vm\"}"))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString())
                .contains("Il modello big-vm richiede almeno 512 MiB di memoria");
        assertThat(api(post(path), customer, "{\"confirm\":\"vm-" + domain + "\",\"template\":\"old-vm\"}")
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString())
                .contains("'old-vm' is disabled");
        assertThat(jobs(vm)).as("nothing queued by the refusals").isEqualTo(before);

        Document page = page("/units/" + vm + "/reinstall", customer);
        assertThat(page.select("select[name=template] option").eachAttr("value")).containsExactly("lodge-test");
        assertThat(page.getElementById("reinstall-vm").text()).contains("snapshots");
        String queued = mvc.perform(post("/units/" + vm + "/actions/reinstall").with(csrf())
                        .with(user(users.loadUserByUsername(customer))).param("confirm", "vm-" + domain))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        UUID job = UUID.fromString(queued.substring("/jobs/".length()));
        assertThat(jdbc.sql("select kind from provisioning_job where id = :j").param("j", job).query(String.class)
                .single()).isEqualTo("REINSTALL_VM");
        JsonNode params = json.readTree(jdbc.sql("select params from provisioning_job where id = :j").param("j", job)
                .query(String.class).single());
        assertThat(params.path("template").asText()).isEqualTo("lodge-test");
        assertThat(params.path("from").path("template").asText()).isEqualTo("lodge-test");
    }

    @Test
    void customersTakeVmSnapshotsOnlyWhereStaffAllowThemAndUpToTheCap() throws Exception {
        String snapshots = "/api/units/" + vm + "/snapshots";
        String allowance = "/api/units/" + vm + "/customer-snapshots";
        long before = jobs(vm);
        assertThat(api(post(snapshots), customer, "{\"name\":\"before-upgrade\"}").andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString()).contains("not open to customers");
        api(put(allowance), customer, "{\"cap\":\"5\"}").andExpect(status().isForbidden());
        mvc.perform(get(allowance).with(httpBasic(stranger, TestData.PASSWORD))).andExpect(status().isNotFound());
        api(put(allowance), staff, "{\"cap\":\"99\"}").andExpect(status().isBadRequest());
        mvc.perform(post("/units/" + vm + "/customer-snapshots").with(csrf()).with(user(users.loadUserByUsername(staff)))
                        .header("Accept-Language", "it").param("cap", "99"))
                .andExpect(flash().attribute("error", org.hamcrest.Matchers.startsWith(
                        "Il numero di snapshot che i clienti possono tenere è un numero intero da 0")));
        assertThat(jobs(vm)).isEqualTo(before);

        api(put(allowance), staff, "{\"cap\":\"1\"}").andExpect(status().isOk());
        api(post(snapshots), stranger, "{\"name\":\"before-upgrade\"}").andExpect(status().isNotFound());
        mvc.perform(post("/units/" + vm + "/snapshots").with(csrf()).with(user(users.loadUserByUsername(stranger)))
                .param("name", "x")).andExpect(status().isNotFound());
        assertThat(jobs(vm)).as("the stranger queued nothing").isEqualTo(before);
        assertThat(page("/units/" + vm, customer).getElementById("snapshot-form")).isNotNull();
        JsonNode created = json.readTree(api(post(snapshots), customer, "{\"name\":\"before-upgrade\"}")
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString());
        assertThat(created.path("kind").asText()).isEqualTo("CREATE_VM_SNAPSHOT");
        // As the worker leaves it: the job OK, the snapshot listed.
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j")
                .param("j", UUID.fromString(created.path("id").asText())).update();
        jdbc.sql("insert into vm_snapshot (unit_id, name, created_at, vm_state) values (:u, 'before-upgrade', now(),"
                + " 'running')").param("u", vm).update();

        assertThat(api(post(snapshots), customer, "{\"name\":\"second\"}").andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString()).contains("the most allowed (1)");
        assertThat(page("/units/" + vm, customer).getElementById("snapshot-form")).as("full").isNull();
        mvc.perform(delete(snapshots + "/before-upgrade").with(httpBasic(stranger, TestData.PASSWORD)))
                .andExpect(status().isNotFound());
        mvc.perform(delete(snapshots + "/before-upgrade").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isAccepted());
    }

    private ResultActions api(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
                              String who, String body) throws Exception {
        return mvc.perform(request.with(httpBasic(who, TestData.PASSWORD)).contentType(MediaType.APPLICATION_JSON)
                .content(body));
    }

    private Document page(String path, String who) throws Exception {
        return Jsoup.parse(mvc.perform(get(path).with(user(users.loadUserByUsername(who)))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    private long jobs(UUID unit) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = :u").param("u", unit)
                .query(Long.class).single();
    }
}
