package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The units page a page at a time: 50 rows and a next link, search by a Unicode domain, an IPv4
 * address or a tenant's name, customers kept to their own tenant even when searching, and bad
 * paging answered 400 with a plain message.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class UnitListPagingTest {

    @Autowired
    org.lodge.portal.tenant.TenantService tenantService;
    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitRows rows;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;

    String prefix;
    String staff;

    @BeforeEach
    void manyUnits() {
        data.node("paging-node", 10L << 30);
        prefix = "pg" + UUID.randomUUID().toString().substring(0, 6);
        rows.insert(prefix, 3, 120, "paging-node");
        staff = data.staff();
    }

    /** Other tests of this shared database list units too: leave them the database as it was. */
    @AfterEach
    void removeThem() {
        rows.delete(prefix);
    }

    @Test
    void staffSeeFiftyAPageAndCanGoOn() throws Exception {
        Document first = page(staff, "/units?q=" + prefix);
        assertThat(first.select("#units tbody tr")).hasSize(50);
        assertThat(first.getElementById("paging-summary").text()).startsWith("120 units found, page 1 of 3");
        assertThat(first.getElementById("next-page").attr("href")).contains("page=1");
        Document last = page(staff, "/units?q=" + prefix + "&page=2");
        assertThat(last.select("#units tbody tr")).hasSize(20);
        assertThat(last.getElementById("next-page")).isNull();
        Document newest = page(staff, "/units?q=" + prefix + "&sort=-domain&size=1");
        assertThat(newest.select("#units tbody tr").attr("data-domain")).isEqualTo(prefix + "-99.example.it");
    }

    @Test
    void searchesByUnicodeDomainAddressAndTenant() throws Exception {
        UUID tenant = data.tenant("Caffè Roma").getId();
        String label = "caffè-" + prefix;
        String ascii = java.net.IDN.toASCII(label) + ".it";
        rows.unit(tenant, "paging-node", ascii, "10.201.3.4");
        assertThat(page(staff, "/units?q=" + label).select("#units tbody tr a").eachText()).containsExactly(label + ".it");
        assertThat(page(staff, "/units?q=10.201.3.4").select("#units tbody tr a").eachText()).containsExactly(label + ".it");
        String tenantName = jdbc.sql("select name from tenant where id = :t").param("t", tenant).query(String.class).single();
        assertThat(page(staff, "/units?q=" + tenantName).select("#units tbody tr a").eachText()).containsExactly(label + ".it");
        // The tenant search ignores case, and % and _ in it are letters, not wildcards.
        assertThat(tenantService.idsNamed(tenantName.toUpperCase(java.util.Locale.ROOT))).contains(tenant);
        assertThat(tenantService.idsNamed("%")).isEmpty();
        assertThat(tenantService.idsNamed("Caff_")).isEmpty();
    }

    @Test
    void aCustomerSearchesOnlyTheirOwnUnits() throws Exception {
        UUID mine = jdbc.sql("select id from tenant where name = :n").param("n", prefix + "-tenant-1").query(UUID.class).single();
        String customer = "c" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("insert into app_user (id, username, password_hash, role, tenant_id) values (:id, :u, 'x', 'CUSTOMER', :t)")
                .param("id", UUID.randomUUID()).param("u", customer).param("t", mine).update();
        Document found = page(customer, "/units?q=" + prefix + "&size=200");
        assertThat(found.select("#units tbody tr")).hasSize(40);
        // A tenant's name finds nothing of other tenants for a customer.
        assertThat(page(customer, "/units?q=" + prefix + "-tenant-2").select("#units tbody tr a")).isEmpty();
    }

    @Test
    void badPagingIsRefusedInPlainWords() throws Exception {
        for (String query : new String[] {"page=-1", "size=100000", "size=0", "sort=password", "q=" + "x".repeat(10_000)}) {
            String body = mvc.perform(get("/units?" + query).with(user(users.loadUserByUsername(staff))))
                    .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
            assertThat(body).doesNotContain("Exception").doesNotContain("org.lodge");
        }
    }

    @Test
    void theDashboardCountsUnitsNodesAndTodaysFailedJobs() throws Exception {
        UUID tenant = data.tenant("dash").getId();
        String label = java.net.IDN.toASCII("caffè-" + prefix) + ".it";
        for (String age : new String[] {"1 hour", "30 hours"}) {
            jdbc.sql("""
                    insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,
                                                  idempotency_key, created_by, finished_at, last_error)
                    values (:id, 'CREATE_JAIL', 'KO', 'paging-node', :t, :u, :l, '{}', :k, 'staff',
                            now() - cast(:age as interval), 'the disk image could not be made')""")
                    .param("id", UUID.randomUUID()).param("t", tenant).param("u", UUID.randomUUID()).param("l", label)
                    .param("k", UUID.randomUUID().toString()).param("age", age).update();
        }
        Document dashboard = page(staff, "/dashboard");
        assertThat(Long.parseLong(dashboard.select("#nodes tr[data-node=paging-node] td").get(1).text()))
                .isGreaterThanOrEqualTo(120);
        assertThat(dashboard.select("#states tr[data-state=PAUSED]")).hasSize(1);
        // The one within 24 hours, its domain as people read it; not the older one.
        assertThat(dashboard.select("#failed-jobs td").eachText()).contains("caffè-" + prefix + ".it")
                .doesNotContain(label);
        // A node's own job has no tenant: the list says so instead of failing to draw.
        jdbc.sql("""
                insert into provisioning_job (id, kind, state, node_name, unit_label, params, idempotency_key, created_by)
                values (:id, 'VERIFY_BACKUPS', 'OK', 'paging-node', 'paging-node', '{}', :k, 'staff')""")
                .param("id", UUID.randomUUID()).param("k", UUID.randomUUID().toString()).update();
        // The jobs list shows the domain in Unicode too, like the units list.
        assertThat(page(staff, "/jobs").text()).contains("caffè-" + prefix + ".it").doesNotContain(label)
                .contains("(node job)");
        String customer = data.customer(data.tenant("dash-customer"));
        mvc.perform(get("/dashboard").with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
    }

    private Document page(String who, String path) throws Exception {
        return Jsoup.parse(mvc.perform(get(path).with(user(users.loadUserByUsername(who)))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }
}
