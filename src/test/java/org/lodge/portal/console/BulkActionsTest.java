package org.lodge.portal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.BulkAction;
import org.lodge.provisioning.BulkActions;
import org.lodge.provisioning.TenantScope;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Bulk actions without a node (the portal only writes intents): one queued job per unit that can
 * take the action, the others skipped with the reason while the batch goes on; a bounded batch
 * size; and staff only, refused to customers by URL and inside the service.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BulkActionsTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    BulkActions bulk;
    @Autowired
    UserDetailsService users;

    final ObjectMapper json = new ObjectMapper();
    final List<UUID> made = new ArrayList<>();
    String staff;
    String customer;
    TenantEntity tenant;
    String prefix;

    @BeforeEach
    void units() {
        data.node("bulk-node", 10L << 30);
        tenant = data.tenant("bulk");
        staff = data.staff();
        customer = data.customer(tenant);
        prefix = "bk" + UUID.randomUUID().toString().substring(0, 6);
    }

    @AfterEach
    void removeThem() {
        for (UUID unit : made) {
            jdbc.sql("delete from job_batch where id in (select batch_id from job_batch_item where unit_id = :u)")
                    .param("u", unit).update();
            jdbc.sql("delete from job_log where job_id in (select id from provisioning_job where unit_id = :u)").param("u", unit).update();
            jdbc.sql("delete from job_transition where job_id in (select id from provisioning_job where unit_id = :u)").param("u", unit).update();
            jdbc.sql("delete from provisioning_job where unit_id = :u").param("u", unit).update();
            jdbc.sql("delete from unit where id = :u").param("u", unit).update();
        }
    }

    private UUID unit(String name, String state, String kind) {
        UUID id = rows.unit(tenant.getId(), "bulk-node", prefix + "-" + name + ".example.it",
                "10.201." + (made.size() + 1) + "." + (int) (Math.random() * 250 + 1));
        jdbc.sql("update unit set state = :s, kind = :k, mac = case when :k = 'VM' then '52:54:00:00:00:01' end where id = :u")
                .param("s", state).param("k", kind).param("u", id).update();
        made.add(id);
        return id;
    }

    private JsonNode postBulk(String as, String action, List<?> ids, int expected) throws Exception {
        String body = json.writeValueAsString(Map.of("action", action, "unitIds", ids));
        String answer = mvc.perform(post("/api/units/bulk").with(httpBasic(as, TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(expected)).andReturn().getResponse().getContentAsString();
        return json.readTree(answer);
    }

    @Test
    void queuesOneJobPerUnitAndSkipsTheOnesThatCannotTakeIt() throws Exception {
        UUID running = unit("running", "RUNNING", "JAIL");
        UUID stopped = unit("stopped", "STOPPED", "JAIL");
        UUID busy = unit("busy", "RUNNING", "JAIL");
        AsStaff.call(() -> bulk.request(BulkAction.RESTART, List.of(busy), TenantScope.all(), "earlier"));
        UUID missing = UUID.randomUUID();

        JsonNode answer = postBulk(staff, "stop", List.of(running, stopped, busy, missing, running), 202);
        assertThat(answer.at("/summary/queued").asInt()).isEqualTo(1);
        assertThat(answer.at("/summary/skipped").asInt()).isEqualTo(3);
        JsonNode items = answer.at("/batch/items");
        assertThat(items).hasSize(4).as("a unit named twice is asked once");
        assertThat(items.get(0).path("state").asText()).isEqualTo("ENQUEUED");
        assertThat(items.get(1).path("skippedReason").asText()).contains("is stopped: nothing to stop");
        assertThat(items.get(2).path("skippedReason").asText()).contains("has a job in progress");
        assertThat(items.get(3).path("skippedReason").asText()).isEqualTo("no such unit");
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u and kind = 'STOP_JAIL'")
                .param("u", running).query(Long.class).single()).isEqualTo(1);

        String id = answer.at("/batch/id").asText();
        mvc.perform(get("/api/batches/" + id).with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isOk())
                .andExpect(jsonPath("$.summary.queued").value(1)).andExpect(jsonPath("$.batch.action").value("STOP"));

        // VMs are backed up too (BACKUP_VM), so a bulk backup queues one for them like for a jail.
        UUID vm = unit("vm", "RUNNING", "VM");
        JsonNode backups = postBulk(staff, "backup", List.of(vm), 202);
        assertThat(backups.at("/summary/queued").asInt()).isEqualTo(1);
        assertThat(jdbc.sql("select kind from provisioning_job where unit_id = :u").param("u", vm)
                .query(String.class).single()).isEqualTo("BACKUP_VM");
    }

    @Test
    void refusesAnEmptyAnOversizedOrAnUnknownBatchInWords() throws Exception {
        List<UUID> many = new ArrayList<>();
        for (int i = 0; i <= BulkActions.MAX_UNITS; i++) {
            many.add(UUID.randomUUID());
        }
        long batches = jdbc.sql("select count(*) from job_batch").query(Long.class).single();
        assertThat(postBulk(staff, "stop", many, 400).path("detail").asText())
                .contains("at most 100 units").contains("101 were selected");
        assertThat(postBulk(staff, "stop", List.of(), 400).path("detail").asText()).contains("select at least one unit");
        assertThat(postBulk(staff, "reboot-everything", List.of(UUID.randomUUID()), 400).path("detail").asText())
                .contains("allowed: start, stop, restart, backup");
        assertThat(jdbc.sql("select count(*) from job_batch").query(Long.class).single()).as("nothing recorded")
                .isEqualTo(batches);
    }

    @Test
    void customersAreRefusedByUrlAndByTheServiceItself() throws Exception {
        UUID own = unit("own", "RUNNING", "JAIL");
        postBulk(customer, "stop", List.of(own), 403);
        String batch = AsStaff.call(() -> bulk.request(BulkAction.STOP, List.of(own), TenantScope.all(), "staff")).id().toString();
        mvc.perform(get("/api/batches/" + batch).with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isForbidden());
        mvc.perform(get("/batches/" + batch).with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
        mvc.perform(post("/units/bulk").param("action", "stop").param("unitIds", own.toString()).with(csrf())
                .with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
        // Past the URL rules: a staff role with a customer's scope, and a customer's role, are both refused.
        assertThatThrownBy(() -> AsStaff.call(() -> bulk.request(BulkAction.STOP, List.of(own), TenantScope.of(tenant.getId()), "x")))
                .isInstanceOf(AccessDeniedException.class);
        assertThatThrownBy(() -> AsStaff.call(() -> bulk.find(UUID.fromString(batch), TenantScope.of(tenant.getId()))))
                .isInstanceOf(AccessDeniedException.class);
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext asCustomer = SecurityContextHolder.createEmptyContext();
        asCustomer.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(customer, null,
                AuthorityUtils.createAuthorityList("ROLE_CUSTOMER")));
        SecurityContextHolder.setContext(asCustomer);
        try {
            assertThatThrownBy(() -> bulk.request(BulkAction.STOP, List.of(own), TenantScope.all(), customer))
                    .isInstanceOf(AccessDeniedException.class);
        } finally {
            SecurityContextHolder.setContext(previous);
        }
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u").param("u", own)
                .query(Long.class).single()).as("only staff's job").isEqualTo(1);
    }

    @Test
    void theUnitsPageSelectsUnitsAndTheBatchPageListsTheirJobs() throws Exception {
        UUID a = unit("a", "RUNNING", "JAIL");
        UUID b = unit("b", "RUNNING", "JAIL");
        Document list = Jsoup.parse(mvc.perform(get("/units?q=" + prefix).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(list.select("input[name=unitIds][form=bulk-form]")).hasSize(2);
        assertThat(list.select("#bulk-form button[name=action]").eachAttr("value")).contains("start", "stop", "restart", "backup");
        String location = mvc.perform(post("/units/bulk").param("action", "restart").param("unitIds", a.toString())
                        .param("unitIds", b.toString()).with(csrf()).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        assertThat(location).matches("/batches/[0-9a-f-]{36}");
        Document page = Jsoup.parse(mvc.perform(get(location).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(page.select("#batch-items tbody tr")).hasSize(2);
        assertThat(page.getElementById("count-queued").text()).isEqualTo("2");
        assertThat(page.select("#batch-items a[href^=/jobs/]")).hasSize(2);
        // The time it was asked, in the reader's saved zone (Tokyo here), not UTC ISO.
        java.time.Instant asked = jdbc.sql("select created_at from job_batch where id = :id")
                .param("id", UUID.fromString(location.substring("/batches/".length())))
                .query(java.sql.Timestamp.class).single().toInstant();
        jdbc.sql("update app_user set time_zone = 'Asia/Tokyo' where username = :u").param("u", staff).update();
        try {
            String shown = Jsoup.parse(mvc.perform(get(location).with(user(users.loadUserByUsername(staff))))
                    .andReturn().getResponse().getContentAsString()).select("main > p").first().text();
            assertThat(shown).contains(java.time.format.DateTimeFormatter.ofLocalizedDateTime(
                    java.time.format.FormatStyle.MEDIUM).withLocale(java.util.Locale.ENGLISH)
                    .format(asked.atZone(java.time.ZoneId.of("Asia/Tokyo"))));
        } finally {
            jdbc.sql("update app_user set time_zone = null where username = :u").param("u", staff).update();
        }
        mvc.perform(get(location + "/status").with(user(users.loadUserByUsername(staff)))).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].state").value("ENQUEUED")).andExpect(jsonPath("$.summary.queued").value(2));

        // Nothing ticked: back to the units page with the reason, nothing queued.
        mvc.perform(post("/units/bulk").param("action", "stop").with(csrf()).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().is3xxRedirection())
                .andExpect(flash().attribute("error", "select at least one unit"));
    }
}
