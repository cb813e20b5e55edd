package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.provisioning.unit.ServiceProbe;
import org.lodge.support.Api;
import org.lodge.support.FailureInjection;
import org.lodge.support.Ftps;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A customer reinstalls their jail through the API: a confirmation that does not name the unit,
 * an unknown template, or another tenant's customer is refused and queues nothing; the typed
 * domain resets the site (their own page gone, the welcome page back over HTTP), the new FTP
 * password works over FTPS and the old one does not, and the unit records its template. A reinstall
 * that fails after its proofs leaves the jail exactly as it was: the customer's page, the old
 * password, the template, no file left beside the image.
 */
@LiveNodeTest
class ReinstallJailTest {

    private static final String IP = "10.231.77.86";
    private static final String UNDONE_IP = "10.231.77.87";
    private static final String CUSTOMER_PASSWORD = "reinstall-test-password-1";
    private static final String OWN_PAGE = "<h1>the customer's own site</h1>\n";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitCertificates certificates;
    @Autowired
    ServiceProbe probe;

    @Test
    void aCustomerReinstallsAfterTypingTheDomainAndGetsTheWelcomePageAndANewPassword() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("reinstall");
        Api customer = new Api(rest, staff.newCustomer(tenant, CUSTOMER_PASSWORD), CUSTOMER_PASSWORD);
        Api stranger = new Api(rest, staff.newCustomer(staff.newTenant("reinstall-other"), CUSTOMER_PASSWORD),
                CUSTOMER_PASSWORD);
        String domain = "reinstall-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String creation = staff.createJail(tenant, "64M", domain, IP);
        String jailId = staff.awaitOk(creation).path("unitId").asText();
        JsonNode first = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        String user = first.path("username").asText();
        String oldPassword = first.path("password").asText();
        upload(IP, user, oldPassword);
        assertThat(probe.get(IP, domain, "/").body()).contains("customer's own site");

        String path = "/api/units/" + jailId + "/actions/reinstall";
        assertThat(stranger.post(path, Map.of("confirm", domain)).getStatusCode().value())
                .as("another tenant's customer").isEqualTo(404);
        ResponseEntity<String> mismatch = customer.post(path, Map.of("confirm", "reinstall.example.com"));
        assertThat(mismatch.getStatusCode().value()).isEqualTo(400);
        assertThat(mismatch.getBody()).contains("Type the domain " + domain + " exactly").contains("confirm");
        assertThat(customer.post(path, Map.of()).getStatusCode().value()).as("no confirmation").isEqualTo(400);
        assertThat(customer.post(path, Map.of("confirm", domain.toUpperCase())).getStatusCode().value())
                .as("exactly").isEqualTo(400);
        assertThat(customer.post("/api/units/" + jailId + "/actions/reinstall", Map.of("confirm", domain,
                "template", "no-such-template")).getBody()).contains("unknown jail template");
        assertThat(jobsOf(jailId)).as("nothing queued by the refusals").isEqualTo(1);

        long started = System.nanoTime();
        ResponseEntity<String> queued = customer.post(path, Map.of("confirm", domain));
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String reinstall = customer.json(queued).path("id").asText();
        JsonNode job = customer.awaitOk(reinstall);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(job.path("kind").asText()).isEqualTo("REINSTALL_JAIL");
        assertThat(staff.log(reinstall)).contains("[reinstall-image] ext4 built on").contains("[test-http]")
                .contains("[test-ftp] FTP login as " + user).contains("[drop-previous-image] previous image deleted")
                .doesNotContain(oldPassword);

        assertThat(staff.post("/api/jobs/" + reinstall + "/credentials", null).getStatusCode().value())
                .as("the asker's alone").isEqualTo(404);
        JsonNode credentials = customer.json(customer.post("/api/jobs/" + reinstall + "/credentials", null));
        String newPassword = credentials.path("password").asText();
        assertThat(newPassword).hasSize(20).isNotEqualTo(oldPassword);
        assertThat(probe.get(IP, domain, "/").body()).as("the welcome page again").contains(domain)
                .doesNotContain("customer's own site");
        assertThat(ftpLogin(IP, user, newPassword)).isTrue();
        assertThat(ftpLogin(IP, user, oldPassword)).isFalse();
        Map<String, Object> unit = jdbc.sql("select template, template_version, ipv4::text as ip, disk_bytes, domain"
                + " from unit where id = cast(:id as uuid)").param("id", jailId).query().singleRow();
        assertThat(unit).containsEntry("template", "busybox").containsEntry("domain", domain)
                .containsEntry("disk_bytes", 64L << 20);
        assertThat((String) unit.get("ip")).startsWith(IP);
        assertThat(unit.get("template_version")).isEqualTo(Files.readString(
                Path.of("/var/lib/lodge/templates/busybox/.lodge-template")).strip());
        System.out.printf("jail reinstall: %d ms from request to OK%n", millis);
        staff.awaitOk(staff.act(jailId, "delete"));
    }

    @Test
    void aReinstallThatFailsAfterItsProofsLeavesTheJailAsItWas() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("reinstall-undo");
        String domain = FailureInjection.REINSTALL_PREFIX + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String creation = staff.createJail(tenant, "64M", domain, UNDONE_IP);
        String jailId = staff.awaitOk(creation).path("unitId").asText();
        JsonNode first = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        String user = first.path("username").asText();
        String password = first.path("password").asText();
        upload(UNDONE_IP, user, password);
        Map<String, Object> before = jdbc.sql("select template, template_version, memory_mib from unit"
                + " where id = cast(:id as uuid)").param("id", jailId).query().singleRow();

        // Staff may reinstall too, and pick another template of the catalogue that fits.
        ResponseEntity<String> queued = staff.post("/api/units/" + jailId + "/actions/reinstall",
                Map.of("confirm", domain, "template", "web-php"));
        assertThat(queued.getStatusCode().value()).as(queued.getBody()).isEqualTo(202);
        String reinstall = staff.json(queued).path("id").asText();
        JsonNode job = staff.awaitEnd(reinstall, Duration.ofSeconds(120));
        String log = staff.log(reinstall);
        assertThat(job.path("state").asText()).as(log).isEqualTo("KO");
        assertThat(log).contains("[test-php]").contains("failure injected by the test")
                .contains("previous image back in place").contains("the unit runs template busybox again");

        assertThat(staff.json(staff.get("/api/units/" + jailId)).path("state").asText()).isEqualTo("RUNNING");
        // The compensation started the jail again without a proof of its own: give its web server a moment.
        assertThat(pageOnceUp(UNDONE_IP, domain)).as("the customer's page is back").contains("customer's own site");
        assertThat(ftpLoginOnceUp(UNDONE_IP, user, password)).as("the old password works again").isTrue();
        assertThat(jdbc.sql("select template, template_version, memory_mib from unit where id = cast(:id as uuid)")
                .param("id", jailId).query().singleRow()).isEqualTo(before);
        String image = jdbc.sql("select libvirt_name from unit where id = cast(:id as uuid)").param("id", jailId)
                .query(String.class).single();
        try (var files = Files.list(Path.of("/var/lib/lodge/test-jails"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(image)))
                    .as("nothing left beside the image").allMatch(n -> !n.endsWith(".pre-restore")
                            && !n.endsWith(".restoring"));
        }
        staff.awaitOk(staff.act(jailId, "delete"));
    }

    /** The jail's page, asked again for up to 10 s while its web server starts. */
    private String pageOnceUp(String ip, String domain) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return probe.get(ip, domain, "/").body();
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    /** An FTPS login, tried again for up to 10 s while the server starts (a refused connection, not a refused login). */
    private boolean ftpLoginOnceUp(String ip, String user, String password) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                return ftpLogin(ip, user, password);
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(200);
            }
        }
    }

    private int jobsOf(String unitId) {
        return jdbc.sql("select count(*) from provisioning_job where unit_id = cast(:id as uuid)").param("id", unitId)
                .query(Integer.class).single();
    }

    /** The customer's own site replaces the welcome page. */
    private void upload(String ip, String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(20));
        try {
            ftp.connect(ip, 21);
            assertThat(ftp.loginPrivate(user, password)).isTrue();
            assertThat(ftp.storeFile("index.html", new ByteArrayInputStream(OWN_PAGE.getBytes(StandardCharsets.UTF_8))))
                    .isTrue();
            ftp.logout();
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }

    private boolean ftpLogin(String ip, String user, String password) throws Exception {
        return new Ftps(certificates).login(ip, user, password);
    }
}
