package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.SqlStatements;
import org.lodge.support.TestData;
import org.lodge.support.UnitRows;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The staff console's lists ask the database a fixed number of times, however many rows a page
 * shows (no query per row: docs/benchmarks.md, "Staff console at 10,000 units"): the same count
 * of SQL statements for 5 rows as for 50, and few of them. Counted on the request's thread by
 * {@link SqlStatements}, not timed.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class ListQueryCountTest {

    /** What a list page needs: page ids, count, rows, tenant names, alerts; room for a few more, not for one per row. */
    private static final int MOST = 12;

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
    void manyUnitsAndJobs() {
        data.node("count-node", 10L << 30);
        prefix = "qc" + UUID.randomUUID().toString().substring(0, 6);
        rows.insert(prefix, 60, 120, "count-node");
        jdbc.sql("""
                insert into provisioning_job (id, kind, state, node_name, tenant_id, unit_id, unit_label, params,
                                              idempotency_key, created_by)
                select gen_random_uuid(), 'START_JAIL', 'OK', 'count-node', tenant_id, id, domain, '{}',
                       gen_random_uuid()::text, 'count' from unit where domain like :p""")
                .param("p", prefix + "-%").update();
        staff = data.staff();
    }

    /** Other tests of this shared database list units too: leave them the database as it was. */
    @AfterEach
    void removeThem() {
        rows.delete(prefix);
    }

    @Test
    void staffListsCostTheSameStatementsForFiveRowsAsForFifty() throws Exception {
        for (String list : new String[] {"/units?q=" + prefix, "/units?q=" + prefix + "&sort=-created",
                "/jobs?q=" + prefix, "/api/units?q=" + prefix, "/api/jobs?q=" + prefix}) {
            statements(staff, list + "&size=50");
            int five = statements(staff, list + "&size=5");
            int fifty = statements(staff, list + "&size=50");
            assertThat(fifty).as(list + ": statements for 50 rows (5 rows: " + five + ")").isEqualTo(five)
                    .isLessThanOrEqualTo(MOST);
        }
    }

    @Test
    void theDashboardAndAUnitPageAskAFewTimes() throws Exception {
        statements(staff, "/dashboard");
        assertThat(statements(staff, "/dashboard")).as("dashboard").isLessThanOrEqualTo(MOST);
        UUID tenant = jdbc.sql("select id from tenant where name = :n").param("n", prefix + "-tenant-1")
                .query(UUID.class).single();
        UUID unit = jdbc.sql("select id from unit where tenant_id = :t limit 1").param("t", tenant).query(UUID.class).single();
        String customer = "qc" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("insert into app_user (id, username, password_hash, role, tenant_id) values (:id, :u, 'x', 'CUSTOMER', :t)")
                .param("id", UUID.randomUUID()).param("u", customer).param("t", tenant).update();
        statements(customer, "/units/" + unit);
        assertThat(statements(customer, "/units/" + unit)).as("a customer's unit page").isLessThanOrEqualTo(2 * MOST);
    }

    private int statements(String who, String path) throws Exception {
        return SqlStatements.count(() -> mvc.perform(get(path).accept(path.startsWith("/api/")
                        ? MediaType.APPLICATION_JSON : MediaType.TEXT_HTML).with(user(users.loadUserByUsername(who))))
                .andExpect(status().isOk()));
    }
}
