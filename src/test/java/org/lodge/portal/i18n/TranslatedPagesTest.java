package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Every page renders in English and in Italian without a missing key ("??key_it??"); the browser's
 * language picks Italian, a saved choice beats it, and a refused form says why in Italian.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TranslatedPagesTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    UserRepository userRows;
    @Autowired
    UnitService units;

    @Test
    void noPageHasAMissingKeyInEitherLanguage() throws Exception {
        String node = "i18n-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("i18n");
        String domain = "i18n-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "64M", domain,
                data.freeAddress(), null), "staff"));
        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));
        List<String> pages = List.of("/units", "/units/" + job.unitId(), "/units/new", "/jobs", "/jobs/" + job.id(),
                "/account", "/account/2fa", "/dashboard", "/nodes", "/tenants", "/tenants/" + tenant.getId(), "/backups",
                "/billing/invoices", "/billing/plans", "/billing/dunning", "/units/" + UUID.randomUUID());
        for (String language : List.of("en", "it")) {
            for (String path : pages) {
                String page = mvc.perform(get(path).with(staff).header("Accept-Language", language)).andReturn()
                        .getResponse().getContentAsString();
                assertThat(page).as(language + " " + path).contains("</html>").doesNotContain("??");
                assertThat(page).as(language + " " + path).contains(language.equals("it") ? "Operazioni" : "Jobs");
            }
            String login = mvc.perform(get("/login").header("Accept-Language", language)).andReturn().getResponse()
                    .getContentAsString();
            assertThat(login).doesNotContain("??").contains(language.equals("it") ? "Nome utente" : "Username");
        }
        String gateway = mvc.perform(post("/units").with(csrf()).with(staff).header("Accept-Language", "it")
                        .param("tenantId", tenant.getId().toString()).param("kind", "JAIL").param("node", node)
                        .param("diskSize", "64M").param("domain", "gw-" + domain).param("ipv4", "10.231.99.1"))
                .andReturn().getResponse().getContentAsString();
        assertThat(gateway).contains("10.231.99.1 è il gateway di 10.231.99.0/24; scegli un indirizzo host");
        String customer = data.customer(tenant);
        String own = mvc.perform(get("/units/" + job.unitId()).with(user(users.loadUserByUsername(customer)))
                .header("Accept-Language", "it-IT,it;q=0.9")).andReturn().getResponse().getContentAsString();
        assertThat(own).doesNotContain("??").contains("Utente FTP");
    }

    @Test
    void aSavedChoiceBeatsTheBrowserAndARefusedFormSpeaksItalian() throws Exception {
        String username = data.customer(data.tenant("i18n-saved"));
        RequestPostProcessor customer = user(users.loadUserByUsername(username));
        mvc.perform(post("/language").param("lang", "it").with(csrf()).with(customer).header("Referer", "http://x/jobs"));
        assertThat(userRows.findByUsername(username).orElseThrow().getLanguage()).isEqualTo("it");
        String jobs = mvc.perform(get("/jobs").with(customer).header("Accept-Language", "en")).andReturn()
                .getResponse().getContentAsString();
        assertThat(jobs).contains("<h1>Operazioni</h1>");

        mvc.perform(post("/account/preferences").param("lang", "en").param("timeZone", "Asia/Tokyo").with(csrf())
                .with(customer));
        assertThat(userRows.findByUsername(username).orElseThrow().getTimeZone()).isEqualTo("Asia/Tokyo");
        // The address mail is read at (MailReaders): kept when it is one, refused when not.
        mvc.perform(post("/account/preferences").param("lang", "en").param("timeZone", "Asia/Tokyo")
                .param("email", "me@rossi.example.com").with(csrf()).with(customer));
        assertThat(userRows.findByUsername(username).orElseThrow().getEmail()).isEqualTo("me@rossi.example.com");
        mvc.perform(post("/account/preferences").param("lang", "en").param("timeZone", "Asia/Tokyo")
                .param("email", "Me <me@x.example.com>, you@y.example.com").with(csrf()).with(customer));
        assertThat(userRows.findByUsername(username).orElseThrow().getEmail()).isEqualTo("me@rossi.example.com");
        assertThat(mvc.perform(get("/jobs").with(customer).header("Accept-Language", "it")).andReturn()
                .getResponse().getContentAsString()).contains("<h1>Jobs</h1>");

        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));
        String refused = mvc.perform(post("/units").with(csrf()).with(staff).header("Accept-Language", "it")
                        .param("tenantId", data.tenant("i18n-form").getId().toString()).param("kind", "JAIL")
                        .param("node", "local").param("diskSize", "64M").param("domain", "www example.it")
                        .param("ipv4", ""))
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("il dominio &#39;www example.it&#39; contiene spazi")
                .contains("serve un indirizzo IPv4").doesNotContain("??");
    }
}
