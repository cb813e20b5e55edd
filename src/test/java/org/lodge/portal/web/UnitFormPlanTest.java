package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.billing.Money;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The operator form offers the plans: a unit created for a tenant names its plan, takes its
 * shape from it, and staff may override the disk size; a plan of the other kind is refused on
 * its field and nothing is queued.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class UnitFormPlanTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PlanStore plans;
    @Autowired
    org.lodge.billing.Catalog catalog;

    @Test
    void theFormOffersPlansAndAUnitTakesItsShapeFromThePlanUnlessStaffOverrideIt() throws Exception {
        String node = "plan-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 20L << 30);
        UUID tenant = data.tenant("planned").getId();
        UUID plan = UUID.randomUUID();
        String code = "j-" + plan.toString().substring(0, 8);
        plans.insert(plan, code, "Jail Medium", UnitKind.JAIL, 512L << 20, 128, 1, 1L << 30, false);
        plans.price(plan, LocalDate.parse("2020-01-01"), Money.of("7.00"));
        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));

        String form = mvc.perform(get("/units/new").with(staff)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(form).contains("value=\"" + code + "\"", "Jail Medium (" + code + ", jail: 512 MiB disk, 7.00 EUR/month)");

        UUID fromPlan = create(staff, tenant, node, code, "");
        assertThat(disk(fromPlan)).isEqualTo(512L << 20);
        assertThat(jdbc.sql("select params from provisioning_job where unit_id = :u").param("u", fromPlan)
                .query(String.class).single()).contains("\"plan\"", code);
        UUID overridden = create(staff, tenant, node, code, "1G");
        assertThat(disk(overridden)).as("staff's override").isEqualTo(1L << 30);

        // Naming no plan keeps the node's defaults for a VM's memory and vCPUs; a named plan gives them.
        assertThat(catalog.shapeFor(null, UnitKind.VM, new org.lodge.billing.UnitShape("1G", null, null)))
                .isEqualTo(new org.lodge.billing.UnitShape("1G", null, null));
        assertThat(catalog.shapeFor("vm-basic", UnitKind.VM, new org.lodge.billing.UnitShape("", null, "256")))
                .isEqualTo(new org.lodge.billing.UnitShape("10G", "1", "256"));

        long before = jdbc.sql("select count(*) from provisioning_job").query(Long.class).single();
        String refused = mvc.perform(post("/units").with(csrf()).with(staff).param("tenantId", tenant.toString())
                        .param("node", node).param("kind", "VM").param("plan", code).param("diskSize", "")
                        .param("domain", "x" + UUID.randomUUID().toString().substring(0, 6) + ".example.com")
                        .param("ipv4", data.freeAddress()).param("vcpus", "").param("memory", "").param("template", ""))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("id=\"error-plan\"", "no vm plan");
        assertThat(jdbc.sql("select count(*) from provisioning_job").query(Long.class).single()).isEqualTo(before);
    }

    private UUID create(RequestPostProcessor staff, UUID tenant, String node, String plan, String disk)
            throws Exception {
        String location = mvc.perform(post("/units").with(csrf()).with(staff).param("tenantId", tenant.toString())
                        .param("node", node).param("kind", "JAIL").param("plan", plan).param("diskSize", disk)
                        .param("domain", "p" + UUID.randomUUID().toString().substring(0, 8) + ".example.com")
                        .param("ipv4", data.freeAddress()).param("vcpus", "").param("memory", "").param("template", ""))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        UUID job = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        return jdbc.sql("select unit_id from provisioning_job where id = :j").param("j", job).query(UUID.class).single();
    }

    private long disk(UUID unit) {
        return jdbc.sql("select disk_bytes from unit where id = :u").param("u", unit).query(Long.class).single();
    }
}
