package org.lodge.portal.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * GET /api/units and GET /api/jobs a page at a time, and the web jobs list: bad paging refused
 * with a 400 that names each parameter (and changes nothing), search by a Unicode or ASCII domain,
 * an IPv4 or a tenant's name, state and kind filters, X-Total-Count and Link headers; and a token
 * of one tenant never sees another tenant's units or jobs, whatever it searches for.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class PagedListsApiTest {

    private static final Pattern TOKEN = Pattern.compile("lodge_[A-Za-z0-9_-]{43}");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;

    final ObjectMapper json = new ObjectMapper();
    final List<UUID> units = new ArrayList<>();
    String prefix;
    String staff;
    TenantEntity a;
    TenantEntity b;
    String customerOfA;
    String unicodeOfA;
    String asciiOfA;
    String ipOfA;
    String domainOfB;
    String ipOfB;

    @BeforeEach
    void twoTenants() {
        data.node("paged-node", 10L << 30);
        prefix = "pa" + UUID.randomUUID().toString().substring(0, 6);
        staff = data.staff();
        a = data.tenant("Caffè " + prefix);
        b = data.tenant("Other " + prefix);
        customerOfA = data.customer(a);
        int n = (int) (Math.random() * 200) + 1;
        unicodeOfA = "caffè-" + prefix + ".it";
        asciiOfA = IDN.toASCII("caffè-" + prefix) + ".it";
        ipOfA = "10.203." + n + ".1";
        ipOfB = "10.203." + n + ".2";
        domainOfB = prefix + "-b.example.it";
        units.add(rows.unit(a.getId(), "paged-node", asciiOfA, ipOfA));
        units.add(rows.unit(b.getId(), "paged-node", domainOfB, ipOfB));
        job(a, units.get(0), asciiOfA, "START_JAIL", "OK");
        job(b, units.get(1), domainOfB, "STOP_JAIL", "KO");
    }

    private void job(TenantEntity tenant, UUID unit, String label, String kind, String state) {
        jdbc.sql("""
                insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,
                                              idempotency_key, created_by)
                values (:id, :kind, :state, 'paged-node', :t, :u, :l, '{}', :k, 'staff')""")
                .param("id", UUID.randomUUID()).param("kind", kind).param("state", state).param("t", tenant.getId())
                .param("u", unit).param("l", label).param("k", UUID.randomUUID().toString()).update();
    }

    @AfterEach
    void removeThem() {
        jdbc.sql("delete from provisioning_job where node_name = 'paged-node' and unit_label like :p")
                .param("p", "%" + prefix + "%").update();
        jdbc.sql("delete from unit where domain like :p").param("p", "%" + prefix + "%").update();
        jdbc.sql("delete from tenant where name like :p").param("p", prefix + "-tenant-%").update();
    }

    @Test
    void badPagingIsRefusedInWordsAndChangesNothing() throws Exception {
        long before = jdbc.sql("select (select count(*) from unit) + (select count(*) from provisioning_job)")
                .query(Long.class).single();
        String[][] cases = {{"page=-1", "page"}, {"size=100000", "size"}, {"q=" + "x".repeat(10_240), "q"},
                {"sort=password", "sort"}, {"state=sleeping", "state"}, {"kind=container", "kind"}};
        for (String path : List.of("/api/units", "/api/jobs")) {
            for (String[] bad : cases) {
                MockHttpServletResponse answer = mvc.perform(get(path + "?" + bad[0])
                        .with(httpBasic(staff, TestData.PASSWORD))).andReturn().getResponse();
                assertThat(answer.getStatus()).as(path + "?" + bad[0]).isEqualTo(400);
                JsonNode problem = json.readTree(answer.getContentAsString());
                assertThat(problem.path("errors").path(bad[1]).asText()).as(bad[0]).isNotBlank();
                assertThat(problem.path("detail").asText()).as(bad[0]).startsWith(bad[1] + ": ")
                        .doesNotContain("Exception").doesNotContain("org.lodge");
            }
        }
        String page = mvc.perform(get("/jobs?page=-1&size=100000").with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(Jsoup.parse(page).text()).contains("a page number is").contains("a page has 1 to 200 jobs")
                .doesNotContain("Exception");
        assertThat(jdbc.sql("select (select count(*) from unit) + (select count(*) from provisioning_job)")
                .query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void staffSearchByUnicodeOrAsciiDomainAddressAndTenantAndFilter() throws Exception {
        for (String q : List.of("caffè-" + prefix, asciiOfA, ipOfA, "Caffè " + prefix)) {
            assertThat(domains(staffGet("/api/units?q=" + q))).as(q).containsExactly(asciiOfA);
            assertThat(labels(staffGet("/api/jobs?q=" + q))).as(q).containsExactly(asciiOfA);
        }
        assertThat(domains(staffGet("/api/units?q=" + prefix + "&kind=vm"))).isEmpty();
        assertThat(labels(staffGet("/api/jobs?q=" + prefix + "&state=ko"))).containsExactly(domainOfB);
        assertThat(labels(staffGet("/api/jobs?q=" + prefix + "&kind=START_JAIL"))).containsExactly(asciiOfA);

        rows.insert(prefix, 1, 5, "paged-node");
        MockHttpServletResponse second = mvc.perform(get("/api/units?q=" + prefix + "-tenant&size=2&page=1&sort=-domain")
                .with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isOk()).andReturn().getResponse();
        assertThat(second.getHeader("X-Total-Count")).isEqualTo("5");
        assertThat(second.getHeader("Link")).contains("page=2").contains("rel=\"next\"").contains("page=0")
                .contains("rel=\"prev\"");
        assertThat(domains(json.readTree(second.getContentAsString())))
                .containsExactly(prefix + "-3.example.it", prefix + "-2.example.it");

        Document jobs = Jsoup.parse(mvc.perform(get("/jobs?q=caffè-" + prefix).with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(jobs.select("#jobs tbody tr[data-job]")).hasSize(1);
        assertThat(jobs.getElementById("jobs-summary").text()).startsWith("1 jobs, page 1 of 1");
        assertThat(jobs.select("#jobs tbody").text()).contains(unicodeOfA).doesNotContain(asciiOfA);
        Document firstOfTwo = Jsoup.parse(mvc.perform(get("/jobs?q=" + prefix + "&size=1&sort=unit")
                .with(user(users.loadUserByUsername(staff)))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
        assertThat(firstOfTwo.select("#jobs tbody tr[data-job]")).hasSize(1);
        assertThat(firstOfTwo.getElementById("jobs-summary").text()).startsWith("2 jobs, page 1 of 2");
        assertThat(firstOfTwo.getElementById("next-page").attr("href")).contains("page=1").contains("q=" + prefix)
                .contains("sort=unit");
        Document running = Jsoup.parse(mvc.perform(get("/units?q=" + prefix + "&state=running&kind=jail")
                .with(user(users.loadUserByUsername(staff)))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString());
        assertThat(running.select("#units tbody tr[data-domain]")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(running.select("#state-filter option[selected]").attr("value")).isEqualTo("RUNNING");
        assertThat(Jsoup.parse(mvc.perform(get("/units?q=" + prefix + "&kind=vm").with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString())
                .select("#units tbody tr[data-domain]")).isEmpty();
        mvc.perform(get("/units?state=sleeping").with(user(users.loadUserByUsername(staff)))).andExpect(status().isBadRequest());
    }

    @Test
    void aTenantsTokenNeverSeesAnotherTenantsUnitsOrJobs() throws Exception {
        String token = newToken(customerOfA);
        for (String q : List.of(domainOfB, ipOfB, "Other " + prefix, prefix)) {
            assertThat(domains(bearer("/api/units?size=200&q=" + q, token))).as(q).doesNotContain(domainOfB);
            assertThat(labels(bearer("/api/jobs?size=200&q=" + q, token))).as(q).doesNotContain(domainOfB);
        }
        assertThat(bearer("/api/jobs?tenant=" + b.getId(), token)).isEmpty();
        assertThat(bearer("/api/jobs?unit=" + units.get(1), token)).isEmpty();
        JsonNode all = bearer("/api/units?size=200&sort=-created", token);
        assertThat(all).isNotEmpty().allSatisfy(u -> assertThat(u.path("tenantId").asText()).isEqualTo(a.getId().toString()));
        JsonNode jobs = bearer("/api/jobs?size=200", token);
        assertThat(jobs).isNotEmpty().allSatisfy(j -> assertThat(j.path("tenantId").asText()).isEqualTo(a.getId().toString()));
    }

    private JsonNode staffGet(String path) throws Exception {
        return json.readTree(mvc.perform(get(path).with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    private JsonNode bearer(String path, String token) throws Exception {
        return json.readTree(mvc.perform(get(path).header("Authorization", "Bearer " + token)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    private static List<String> domains(JsonNode list) {
        return list.findValuesAsText("domain");
    }

    private static List<String> labels(JsonNode list) {
        return list.findValuesAsText("unitLabel");
    }

    private String newToken(String username) throws Exception {
        MockHttpServletRequestBuilder create = post("/account/tokens").param("name", "paging").param("days", "30")
                .param("readOnly", "true").with(csrf()).with(user(users.loadUserByUsername(username)));
        String page = mvc.perform(create).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Matcher token = TOKEN.matcher(page);
        assertThat(token.find()).as(page).isTrue();
        return token.group();
    }
}
