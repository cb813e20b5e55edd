package org.lodge.portal.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The template catalogue in the portal: staff see it on the Nodes page and change it there or
 * through the API; the new-unit form offers the enabled templates only; customers change nothing.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TemplateCataloguePageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    org.lodge.provisioning.UnitService units;

    private String state(String node, String template) {
        return jdbc.sql("select enabled || ' ' || is_default from unit_template where node_name = :n and name = :t")
                .param("n", node).param("t", template).query(String.class).single();
    }

    @Test
    void staffDisableAndChooseTheDefaultOnTheNodesPageAndTheFormFollows() throws Exception {
        String node = "tpl-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        var staff = user(users.loadUserByUsername(data.staff()));

        String page = mvc.perform(get("/nodes").with(staff)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("web-php").contains("web-php-test-1").contains("Debian 12: nginx, PHP-FPM")
                .contains("sha256:01").contains("Make default");

        mvc.perform(post("/nodes/" + node + "/templates/web-php/enabled").param("enabled", "false").with(csrf()).with(staff))
                .andExpect(status().is3xxRedirection());
        assertThat(state(node, "web-php")).isEqualTo("false false");
        String form = mvc.perform(get("/units/new").with(staff)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        List<String> offered = java.util.regex.Pattern.compile("<option[^>]*>").matcher(form).results()
                .map(m -> m.group()).filter(o -> o.contains("data-node=\"" + node + "\"")).toList();
        assertThat(offered).anyMatch(o -> o.contains("value=\"busybox\"")).anyMatch(o -> o.contains("value=\"lodge-test\""))
                .noneMatch(o -> o.contains("value=\"web-php\""));

        mvc.perform(post("/nodes/" + node + "/templates/web-php/enabled").param("enabled", "true").with(csrf()).with(staff))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/nodes/" + node + "/templates/web-php/default").with(csrf()).with(staff))
                .andExpect(status().is3xxRedirection());
        assertThat(state(node, "web-php")).isEqualTo("true true");
        assertThat(state(node, "busybox")).isEqualTo("true false");

        // The default cannot be disabled: the page says why and nothing changes.
        String flash = mvc.perform(post("/nodes/" + node + "/templates/web-php/enabled").param("enabled", "false")
                        .with(csrf()).with(staff)).andExpect(status().is3xxRedirection()).andReturn()
                .getFlashMap().get("error").toString();
        assertThat(flash).contains("make another one the default before disabling it");
        assertThat(state(node, "web-php")).isEqualTo("true true");
    }

    @Test
    void theUnitPageNamesTheTemplateAndTheVersionTheUnitWasMadeFrom() throws Exception {
        String node = "tpu-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        String domain = "tpu-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        UUID unit = org.lodge.support.AsStaff.call(() -> units.requestUnit(org.lodge.provisioning.UnitRequest.jail(
                data.tenant("tpu").getId(), node, "64M", domain, data.freeAddress(), null), "staff")).unitId();
        String page = mvc.perform(get("/units/" + unit).with(user(users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<dd>busybox (busybox-test-1)</dd>");
    }

    @Test
    void theApiListsTheEnabledTemplatesOfAKindAndCustomersCannotChangeThem() throws Exception {
        String node = "tpa-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        String staff = data.staff();
        mvc.perform(put("/api/nodes/" + node + "/templates/busybox/default").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isNoContent());
        mvc.perform(put("/api/nodes/" + node + "/templates/web-php/enabled").contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}").with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isNoContent());
        String listed = mvc.perform(get("/api/nodes/" + node + "/templates").param("kind", "JAIL")
                .with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(listed).contains("\"busybox\"").doesNotContain("web-php").doesNotContain("lodge-test");
        mvc.perform(put("/api/nodes/" + node + "/templates/busybox/enabled").contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": false}").with(httpBasic(staff, TestData.PASSWORD))).andExpect(status().isBadRequest());

        String customer = data.customer(data.tenant("tpl"));
        mvc.perform(put("/api/nodes/" + node + "/templates/web-php/enabled").contentType(MediaType.APPLICATION_JSON)
                .content("{\"enabled\": true}").with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isForbidden());
        mvc.perform(post("/nodes/" + node + "/templates/web-php/default").with(csrf())
                .with(user(users.loadUserByUsername(customer)))).andExpect(status().isForbidden());
        assertThat(state(node, "web-php")).isEqualTo("false false");
    }
}
