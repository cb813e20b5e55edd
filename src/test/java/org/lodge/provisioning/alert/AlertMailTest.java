package org.lodge.provisioning.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.TestData;
import org.lodge.support.TestSmtp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Unit alerts by e-mail through a real SMTP server (GreenMail, in this JVM, on a port of its own):
 * a disk past 90 % is one e-mail to staff and to the tenant's contact address however many passes
 * see it, one more when it clears; without anybody to tell nothing is sent and nothing waits;
 * staff set the contact address (checked), customers cannot.
 */
@SpringBootTest(properties = {"lodge.roles=portal", "lodge.alerts.staff-emails=noc@isp.example.com",
        "lodge.alerts.from=alerts@lodge.test"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class AlertMailTest {

    private static final int PORT = TestSmtp.freePort();

    @RegisterExtension
    static GreenMailExtension smtp = TestSmtp.on(PORT).withPerMethodLifecycle(true);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        TestSmtp.sendTo(registry, PORT);
    }

    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    AlertMail alertMail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;
    @Autowired
    org.springframework.security.core.userdetails.UserDetailsService users;

    TenantEntity tenant;
    UUID unit;
    String domain;

    @BeforeEach
    void aRunningJailOfATenant() {
        data.node("alert-node", 10L << 30);
        tenant = data.tenant("alert-" + UUID.randomUUID().toString().substring(0, 8));
        domain = "caff\u00e8-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        unit = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "alert-node", "256M", domain,
                data.freeAddress(), null), "staff")).unitId();
        // As the worker leaves a created jail: its creation job OK, the jail running.
        jdbc.sql("update provisioning_job set state = 'OK', finished_at = now() where unit_id = :u").param("u", unit).update();
        jdbc.sql("update unit set state = 'RUNNING', disk_used_bytes = 1048576 where id = :u").param("u", unit).update();
    }

    @Test
    void aFullDiskIsOneMailToStaffAndTheTenantAndOneMoreWhenItClears() throws Exception {
        mvc.perform(put("/api/tenants/" + tenant.getId() + "/contact").with(httpBasic(data.staff(), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"contactEmail\":\"ops@customer.example.com\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.contactEmail").value("ops@customer.example.com"));
        alertMail.pass();
        assertThat(mailsAbout(domain)).as("no alert, no mail").isEmpty();

        jdbc.sql("update unit set disk_used_bytes = disk_bytes * 95 / 100 where id = :u").param("u", unit).update();
        for (int pass = 0; pass < 3; pass++) {
            alertMail.pass();
        }
        List<MimeMessage> opened = mailsAbout(domain);
        assertThat(opened).hasSize(2);
        assertThat(opened).extracting(MimeMessage::getSubject).containsOnly("Alert on " + domain + ": disk nearly full");
        assertThat(opened.stream().flatMap(m -> recipients(m).stream())).containsOnly("noc@isp.example.com", "ops@customer.example.com");
        assertThat(opened.get(0).getFrom()[0].toString()).isEqualTo("alerts@lodge.test");
        assertThat(opened.get(0).getContent().toString()).contains("95 % full").contains(unit.toString());
        assertThat(staffPage("/dashboard")).as("open alerts on the staff dashboard")
                .contains("data-kind=\"DISK_FULL\"").contains(domain);

        jdbc.sql("update unit set disk_used_bytes = disk_bytes / 10 where id = :u").param("u", unit).update();
        alertMail.pass();
        alertMail.pass();
        List<MimeMessage> all = mailsAbout(domain);
        // One message per recipient, in no set order across the two mailboxes.
        assertThat(all).extracting(MimeMessage::getSubject).containsExactlyInAnyOrder(
                "Alert on " + domain + ": disk nearly full", "Alert on " + domain + ": disk nearly full",
                "Cleared on " + domain + ": disk nearly full", "Cleared on " + domain + ": disk nearly full");
        assertThat(jdbc.sql("select opened_notice || '/' || cleared_notice from alert_episode where unit_id = :u")
                .param("u", unit).query(String.class).list()).containsExactly("SENT/SENT");
    }

    @Test
    void aNodeShortOfStorageIsOneMailToStaffOnlyAndShowsOnTheNodesPage() throws Exception {
        String node = "alert-node-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 5L << 30);
        jdbc.sql("""
                update node set heartbeat_at = now(), storage_total_bytes = 100 * 1073741824::bigint,
                       memory_bytes = 16 * 1073741824::bigint, available_memory_bytes = 8 * 1073741824::bigint
                 where name = :n""").param("n", node).update();
        alertMail.pass();
        alertMail.pass();
        List<MimeMessage> opened = mailsAbout("node " + node + ":");
        assertThat(opened).extracting(MimeMessage::getSubject).containsExactly("Alert on node " + node + ": storage nearly full");
        assertThat(recipients(opened.get(0))).containsExactly("noc@isp.example.com");
        assertThat(opened.get(0).getContent().toString()).contains("5 % of its jails' storage free");
        assertThat(staffPage("/nodes")).contains("data-kind=\"NODE_DISK_LOW\"");
        assertThat(staffPage("/dashboard")).contains("data-kind=\"NODE_DISK_LOW\"").contains("node " + node);

        jdbc.sql("update node set free_disk_bytes = 50 * 1073741824::bigint where name = :n").param("n", node).update();
        alertMail.pass();
        assertThat(mailsAbout("node " + node + ":")).extracting(MimeMessage::getSubject).containsExactly(
                "Alert on node " + node + ": storage nearly full", "Cleared on node " + node + ": storage nearly full");
        jdbc.sql("update node set heartbeat_at = now() - interval '10 minutes' where name = :n").param("n", node).update();
        alertMail.pass();
        assertThat(mailsAbout("node " + node + ":")).extracting(MimeMessage::getSubject)
                .contains("Alert on node " + node + ": worker not reporting");
    }

    @Test
    void withNobodyToTellNothingIsSentAndNothingWaits() throws Exception {
        mvc.perform(put("/api/tenants/" + tenant.getId() + "/contact").with(httpBasic(data.staff(), TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"contactEmail\":\"\"}")).andExpect(status().isOk());
        jdbc.sql("update unit set state = 'STOPPED' where id = :u").param("u", unit).update();
        alertMail.pass();
        // The staff address still hears of it: only the tenant's copy is missing.
        assertThat(mailsAbout(domain)).extracting(MimeMessage::getSubject)
                .containsExactly("Alert on " + domain + ": down but should run");
        jdbc.sql("delete from unit where id = :u").param("u", unit).update();
        alertMail.pass();
        assertThat(mailsAbout(domain)).as("a deleted unit's episode ends without a mail").hasSize(1);
        assertThat(jdbc.sql("select cleared_notice from alert_episode where unit_id = :u").param("u", unit)
                .query(String.class).list()).containsExactly("SKIPPED");
    }

    @Test
    void onlyStaffSetTheContactAddressAndABadOneIsRefusedByName() throws Exception {
        String customer = data.customer(tenant);
        mvc.perform(put("/api/tenants/" + tenant.getId() + "/contact").with(httpBasic(customer, TestData.PASSWORD))
                .contentType(MediaType.APPLICATION_JSON).content("{\"contactEmail\":\"me@evil.test\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(put("/api/tenants/" + tenant.getId() + "/contact").with(httpBasic(data.staff(), TestData.PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"contactEmail\":\"not an address\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not an e-mail address")));
        assertThat(jdbc.sql("select contact_email from tenant where id = :t").param("t", tenant.getId())
                .query(String.class).optional()).isEmpty();
    }

    /**
     * Each reader gets the alert in their language and time zone: the tenant's contact address,
     * which no user gave, in the tenant's language (its customer chose Italian); the staff address
     * in the language and zone of the staff user who gave it on their account page.
     */
    @Test
    void eachReaderGetsTheAlertInTheirLanguageAndTimeZone() throws Exception {
        jdbc.sql("update tenant set contact_email = 'ops-it@customer.example.com' where id = :t").param("t", tenant.getId())
                .update();
        String customer = data.customer(tenant);
        jdbc.sql("update app_user set language = 'it' where username = :u").param("u", customer).update();
        String staff = data.staff();
        jdbc.sql("update app_user set email = 'NOC@isp.example.com', language = 'en', time_zone = 'Asia/Tokyo'"
                + " where username = :u").param("u", staff).update();
        try {
            jdbc.sql("update unit set disk_used_bytes = disk_bytes * 95 / 100 where id = :u").param("u", unit).update();
            alertMail.pass();
            List<MimeMessage> opened = mailsAbout(domain);
            assertThat(opened).hasSize(2);
            MimeMessage italian = opened.stream().filter(m -> recipients(m).contains("ops-it@customer.example.com"))
                    .findFirst().orElseThrow();
            assertThat(italian.getSubject()).isEqualTo("Avviso su " + domain + ": disco quasi pieno");
            // The detail too is the reader's: said from the alert's kind and figures, not the stored English line.
            assertThat(italian.getContent().toString()).contains("(unità " + unit + ") ha un avviso dal ")
                    .contains("Disco pieno al 95 % (soglia di avviso: 90 %): libera spazio o ingrandisci il disco.")
                    .contains("Riceverà un’altra e-mail").doesNotContain("Disk ").doesNotContain("full")
                    .doesNotContain("free some space");
            MimeMessage english = opened.stream().filter(m -> recipients(m).contains("noc@isp.example.com"))
                    .findFirst().orElseThrow();
            assertThat(english.getSubject()).isEqualTo("Alert on " + domain + ": disk nearly full");
            assertThat(english.getContent().toString()).contains("has an alert since").contains(" JST")
                    .contains("Disk 95 % full (alert at 90 %): free some space or grow the disk.");

            // A state is said in the reader's words too.
            jdbc.sql("update unit set state = 'STOPPED' where id = :u").param("u", unit).update();
            alertMail.pass();
            MimeMessage down = mailsAbout(domain).stream().filter(m -> recipients(m).contains("ops-it@customer.example.com"))
                    .filter(m -> subject(m).endsWith("fermo ma dovrebbe funzionare")).findFirst().orElseThrow();
            assertThat(down.getContent().toString())
                    .contains("L’unità è ferma ma dovrebbe essere in esecuzione: avviala")
                    .doesNotContain("stopped").doesNotContain("should be running");
        } finally {
            jdbc.sql("update app_user set email = null, language = null, time_zone = null where username = :u")
                    .param("u", staff).update();
        }
    }

    /**
     * A failed backup (its job, then a re-verification) is one mail to staff only, not to the
     * tenant's contact; it clears once a good backup is taken after it.
     */
    @Test
    void aFailedBackupOrVerificationIsOneMailToStaffOnlyAndClearsWithTheNextGoodBackup() throws Exception {
        jdbc.sql("update tenant set contact_email = 'ops@customer.example.com' where id = :t").param("t", tenant.getId())
                .update();
        UUID failed = backupRow("now() - interval '2 hours'", "RUNNING");
        jdbc.sql("update backup set outcome = 'KO', reason = 'over the tenant''s backup quota' where id = :id")
                .param("id", failed).update();
        alertMail.pass();
        alertMail.pass();
        List<MimeMessage> opened = mailsAbout(domain);
        assertThat(opened).extracting(MimeMessage::getSubject).containsExactly("Alert on " + domain + ": backup failed");
        assertThat(recipients(opened.get(0))).containsExactly("noc@isp.example.com");
        assertThat(opened.get(0).getContent().toString()).contains("failed: over the tenant's backup quota");

        UUID good = backupRow("now()", "OK");
        alertMail.pass();
        assertThat(mailsAbout(domain)).extracting(MimeMessage::getSubject)
                .containsExactly("Alert on " + domain + ": backup failed", "Cleared on " + domain + ": backup failed");

        // The weekly re-verification finds the good one no longer restores: a new episode, a new mail.
        jdbc.sql("update backup set verified = false, outcome = 'KO', reason = 're-verification failed: pack damaged'"
                + " where id = :id").param("id", good).update();
        alertMail.pass();
        List<MimeMessage> all = mailsAbout(domain);
        assertThat(all).hasSize(3);
        assertThat(all.get(2).getContent().toString()).contains("re-verification failed: pack damaged");
        assertThat(recipients(all.get(2))).containsExactly("noc@isp.example.com");
    }

    private UUID backupRow(String takenAt, String outcome) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into backup (id, tenant_id, unit_id, unit_domain, node_name, repository, taken_at, outcome,"
                        + " verified, snapshot_id) values (:id, :t, :u, :d, 'alert-node', '/r', " + takenAt + ", :o, :v, 'ab12cd34')")
                .param("id", id).param("t", tenant.getId()).param("u", unit).param("d", domain).param("o", outcome)
                .param("v", outcome.equals("OK")).update();
        return id;
    }

    private String staffPage(String path) throws Exception {
        return mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get(path)
                        .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user(
                                users.loadUserByUsername(data.staff()))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private List<MimeMessage> mailsAbout(String unicodeDomain) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> subject(m).contains(unicodeDomain)).toList();
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO)).map(Object::toString).toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

}
