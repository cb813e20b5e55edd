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
import org.lodge.provisioning.alert.AlertMail;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
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
    @Autowired
    AlertMail alertMail;
    @Autowired
    JdbcClient jdbc;

    @Test
    void aMissingUnitsPageSaysWhatWasNotFoundInTheReadersLanguage() throws Exception {
        RequestPostProcessor customer = user(users.loadUserByUsername(data.customer(data.tenant("i18n-404"))));
        UUID missing = UUID.randomUUID();
        String english = mvc.perform(get("/units/" + missing).with(customer).header("Accept-Language", "en"))
                .andReturn().getResponse().getContentAsString();
        assertThat(english).contains("Unit " + missing + " not found. Check the address, or go back to the list.")
                .doesNotContain("NotFoundException").doesNotContain("notfound.");
        String italian = mvc.perform(get("/units/" + missing).with(customer).header("Accept-Language", "it"))
                .andReturn().getResponse().getContentAsString();
        assertThat(italian).contains("Unità " + missing + " non trovata. Controlla l’indirizzo, o torna all’elenco.");
        String job = mvc.perform(get("/jobs/" + missing).with(customer).header("Accept-Language", "it"))
                .andReturn().getResponse().getContentAsString();
        assertThat(job).contains("Lavoro " + missing + " non trovato.");
    }

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

    /**
     * Alert lines on the unit page, the units list, the nodes list and the dashboard are said in the
     * reader's language and time zone from the alert's kind and figures, as its e-mail says them;
     * an episode kept without its figures (opened before V39) shows the English line it was kept with.
     */
    @Test
    void alertLinesAreSaidInTheReadersLanguageAndTimeZoneOnEveryPage() throws Exception {
        String node = "i18n-alert-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 5L << 30);
        jdbc.sql("update node set heartbeat_at = now(), storage_total_bytes = 100 * 1073741824::bigint where name = :n")
                .param("n", node).update();
        TenantEntity tenant = data.tenant("i18n-alert");
        String domain = "i18n-alert-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        UUID unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "64M", domain,
                data.freeAddress(), null), "staff")).unitId();
        jdbc.sql("update unit set state = 'RUNNING', disk_used_bytes = disk_bytes * 95 / 100 where id = :u")
                .param("u", unit).update();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome,"
                        + " reason) values (:id, :t, :u, :d, :n, '/r', '2026-11-20T10:00:00Z', 'KO', 'pack damaged')")
                .param("id", UUID.randomUUID()).param("t", tenant.getId()).param("u", unit).param("d", domain)
                .param("n", node).update();
        alertMail.pass();
        String old = "i18n-old-" + UUID.randomUUID().toString().substring(0, 6);
        jdbc.sql("insert into alert_episode (id, subject, node_name, label, kind, message, opened_at, opened_notice)"
                        + " values (:id, 'node:' || :n, :n, :n, 'NODE_MEMORY_LOW', :m, now(), 'SKIPPED')")
                .param("id", UUID.randomUUID()).param("n", old).param("m", "Node " + old + " kept its English line.")
                .update();
        String staff = data.staff();
        jdbc.sql("update app_user set time_zone = 'Asia/Tokyo' where username = :u").param("u", staff).update();
        RequestPostProcessor italian = user(users.loadUserByUsername(staff));

        String disk = "Disco pieno al 95 % (soglia di avviso: 90 %): libera spazio o ingrandisci il disco.";
        // 10:00 UTC is 19:00 in Tokyo, said the Italian way.
        String backup = "Il backup del 20 nov 2026, 19:00:00";
        String storage = "Il nodo " + node + " ha libero il 5 % dello spazio delle sue jail";
        assertThat(page("/units/" + unit, italian)).contains(disk).contains(backup).doesNotContain("Disk 95 % full")
                .doesNotContain("The backup of");
        assertThat(page("/units?q=" + domain, italian)).contains("title=\"" + disk + "\"").contains(">disco quasi pieno<")
                .contains(">backup non riuscito<").doesNotContain("Disk 95 % full");
        assertThat(page("/nodes", italian)).contains(storage).doesNotContain("Node " + node + " has");
        assertThat(page("/dashboard", italian)).contains(storage).contains("Node " + old + " kept its English line.")
                .doesNotContain("Node " + node + " has");
    }

    /**
     * The job page is titled in words ("Crea jail www.example.it"), and the words its script and the
     * console page's show come from the page, in its language.
     */
    @Test
    void theScriptsOfTheJobAndConsolePagesSpeakTheReadersLanguage() throws Exception {
        String node = "i18n-js-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        jdbc.sql("update node set console_host = '127.0.0.1', console_port = 1 where name = :n").param("n", node).update();
        TenantEntity tenant = data.tenant("i18n-js");
        JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), node, "64M",
                "i18n-js-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com", data.freeAddress(), null),
                "staff"));
        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));
        assertThat(page("/jobs/" + job.id(), staff)).contains("<title>Crea jail i18n-js-").contains(">Crea jail</span>")
                .contains(">in coda</strong>").contains("data-exit=\"stato di uscita {0}\"")
                .contains("data-running=\"in esecuzione\"").contains("data-ko=\"fallita\"");
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", job.unitId()).update();
        assertThat(page("/units/" + job.unitId() + "/console", staff)).contains("data-connected=\"connesso\"")
                .contains("data-lost=\"connessione persa\"");
    }

    private String page(String path, RequestPostProcessor as) throws Exception {
        String page = mvc.perform(get(path).with(as).header("Accept-Language", "it")).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).as(path).contains("</html>").doesNotContain("??");
        return page;
    }
}
