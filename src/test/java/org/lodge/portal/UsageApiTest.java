package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.provisioning.usage.UsageSample;
import org.lodge.provisioning.usage.UsageStore;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A unit's usage charts: its tenant's customer gets the points (API and the unit page's own
 * endpoint), another tenant's customer a 404 as for a unit that does not exist, a bad range a 400
 * that says what is allowed; the page carries the charts and the portal serves uPlot itself.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class UsageApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    UsageStore store;
    @Autowired
    UserDetailsService users;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    UUID unitOfA;
    String customerOfA;
    String customerOfB;

    @BeforeEach
    void aUnitWithTenMinutesOfSamples() {
        data.node("usage-node", 10L << 30);
        TenantEntity a = data.tenant("usage-a");
        TenantEntity b = data.tenant("usage-b");
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        String domain = "u" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        unitOfA = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(a.getId(), "usage-node", "256M", domain,
                data.freeAddress(), null), "staff")).unitId();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<UsageSample> samples = new ArrayList<>();
        for (int i = 10; i >= 1; i--) {
            long n = 10 - i;
            samples.add(new UsageSample(unitOfA, a.getId(), now.minusSeconds(60L * i), n * 6_000_000_000L, 50L << 20,
                    10L << 20, n * 1000, n * 2000, n * 600, n * 1200));
        }
        store.insert(samples);
    }

    @Test
    void theOwnersCustomerGetsTheChartDataAndAnotherTenantsCustomerA404() throws Exception {
        mvc.perform(get("/api/units/" + unitOfA + "/usage?range=hour").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.range").value("hour"))
                .andExpect(jsonPath("$.time.length()").value(10))
                .andExpect(jsonPath("$.cpuPercent[1]").value(10.0))
                .andExpect(jsonPath("$.netInBytesPerSecond[1]").value(10.0))
                .andExpect(jsonPath("$.memoryBytes[0]").value(50L << 20));
        mvc.perform(get("/units/" + unitOfA + "/usage?range=day").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.resolution").value("5m"));

        mvc.perform(get("/api/units/" + unitOfA + "/usage").with(httpBasic(customerOfB, TestData.PASSWORD)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/units/" + unitOfA + "/usage").with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/units/" + UUID.randomUUID() + "/usage").with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/units/" + unitOfA + "/usage")).andExpect(status().isUnauthorized());
    }

    @Test
    void theUnitPageShowsADiskPastNinetyPercentAndAUnitDownThatShouldRun() throws Exception {
        // As the worker leaves a created jail: its creation job OK, the jail running, its disk 95 % full.
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unitOfA)
                .update();
        jdbc.sql("update unit set state = 'RUNNING', disk_used_bytes = disk_bytes * 95 / 100 where id = :u")
                .param("u", unitOfA).update();
        String page = unitPage();
        assertThat(page).contains("data-kind=\"DISK_FULL\"").contains("95 % full").doesNotContain("data-kind=\"DOWN\"");
        String list = mvc.perform(get("/units").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(list).as("the unit list shows it too").contains("data-kind=\"DISK_FULL\"");
        // Staff see every tenant's units 50 a page: find this one by its domain.
        String domainOfA = jdbc.sql("select domain from unit where id = :u").param("u", unitOfA).query(String.class).single();
        String staffList = mvc.perform(get("/units").param("q", domainOfA).with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(staffList).contains("data-kind=\"DISK_FULL\"");
        String otherList = mvc.perform(get("/units").with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(otherList).doesNotContain("data-kind=\"DISK_FULL\"");

        jdbc.sql("update unit set state = 'STOPPED', disk_used_bytes = 1024 where id = :u").param("u", unitOfA).update();
        page = unitPage();
        assertThat(page).contains("data-kind=\"DOWN\"").contains("should be running")
                .doesNotContain("data-kind=\"DISK_FULL\"").doesNotContain("data-kind=\"MEMORY_FULL\"");

        // Every sample of the last minutes at the jail's memory limit.
        jdbc.sql("update usage_sample u set memory_bytes = x.memory_mib::bigint * 1048576 from unit x"
                + " where x.id = u.unit_id and u.unit_id = :u").param("u", unitOfA).update();
        assertThat(unitPage()).contains("data-kind=\"MEMORY_FULL\"").contains("Memory at its limit");
    }

    private String unitPage() throws Exception {
        return mvc.perform(get("/units/" + unitOfA).with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    @Test
    void theNodesPageShowsTheNodesLastHourAndItsTopConsumers() throws Exception {
        // A unit without raw samples: the clustered roll-up job, which may run meanwhile, never rewrites its row.
        String domain = "u" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        UUID busy = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(data.tenant("usage-c").getId(), "usage-node",
                "256M", domain, data.freeAddress(), null), "staff")).unitId();
        jdbc.sql("""
                insert into usage_5m (unit_id, tenant_id, bucket, samples, seconds, cpu_ns, memory_avg_bytes,
                                      memory_max_bytes, disk_used_bytes, disk_read_bytes, disk_write_bytes,
                                      net_in_bytes, net_out_bytes)
                select id, tenant_id, date_bin('5 minutes', now() - interval '10 minutes', timestamptz '2000-01-01Z'),
                       5, 300, 3000 * 1000000000::bigint, 1048576, 1048576, 0, 0, 0, 2048, 4096
                  from unit where id = :u""").param("u", busy).update();
        String page = mvc.perform(get("/nodes").with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Usage, last hour").contains(domain).contains("1000.0 %");
    }

    @Test
    void aRangeOfTenYearsIsRefusedWithWhatIsAllowed() throws Exception {
        String body = mvc.perform(get("/api/units/" + unitOfA + "/usage?range=decade")
                        .with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(body).contains("range").contains("hour, day, week, month");
    }

    @Test
    void theUnitPageDrawsTheChartsWithTheUplotTheportalServes() throws Exception {
        String page = mvc.perform(get("/units/" + unitOfA).with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"chart-cpu\"").contains("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")
                .contains("/js/usage.js").doesNotContain("cdn");
        String script = mvc.perform(get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js")
                        .with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(script).contains("uPlot");
    }
}
