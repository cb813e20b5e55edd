package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The doctor from the portal: staff queue it from the Nodes page (a node job, no unit, no
 * tenant) and see the latest result there; customers can neither queue it nor read its job.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class NodeDoctorPageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;

    @Test
    void staffQueueTheDoctorFromTheNodesPageAndCustomersCannot() throws Exception {
        String node = "doc-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        var staff = user(users.loadUserByUsername(data.staff()));
        String location = mvc.perform(post("/nodes/" + node + "/doctor").param("repair", "true").with(csrf()).with(staff))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        UUID job = UUID.fromString(location.substring("/jobs/".length()));
        assertThat(jdbc.sql("select kind || ' ' || state || ' ' || coalesce(cast(unit_id as text), 'no unit') from provisioning_job where id = :id")
                .param("id", job).query(String.class).single()).isEqualTo("DOCTOR_REPAIR ENQUEUED no unit");

        String page = mvc.perform(get("/nodes").with(staff)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("Check and repair orphans").contains("/jobs/" + job).contains("check and repair of");
        mvc.perform(get("/jobs/" + job).with(staff)).andExpect(status().isOk());

        String customer = data.customer(data.tenant("doc"));
        mvc.perform(post("/nodes/" + node + "/doctor").with(csrf()).with(user(users.loadUserByUsername(customer))))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/nodes/" + node + "/doctor").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/jobs/" + job).with(user(users.loadUserByUsername(customer)))).andExpect(status().isNotFound());
        mvc.perform(get("/api/jobs/" + job).with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isNotFound());
    }
}
