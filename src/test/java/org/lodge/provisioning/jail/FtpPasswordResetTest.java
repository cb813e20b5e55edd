package org.lodge.provisioning.jail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.tls.FtpsClient;
import org.lodge.provisioning.tls.UnitCertificates;
import org.lodge.support.Api;
import org.lodge.support.LiveNodeTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A customer resets their jail's FTP password: the job proves the new one with a real FTPS login
 * and shows it once, to that customer only; afterwards a real login with the old password is
 * refused and one with the new password works. Another tenant's customer cannot reach the unit.
 */
@LiveNodeTest
class FtpPasswordResetTest {

    private static final String IP = "10.231.77.171";
    private static final String CUSTOMER_PASSWORD = "reset-test-password-1";

    @Autowired
    TestRestTemplate rest;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UnitCertificates certificates;

    @Test
    void aCustomerGetsANewPasswordProvenByARealLoginAndTheOldOneIsRefused() throws Exception {
        Api staff = new Api(rest, "admin", "admin-password-for-tests");
        String tenant = staff.newTenant("reset");
        String other = staff.newTenant("reset-other");
        String owner = staff.newCustomer(tenant, CUSTOMER_PASSWORD);
        String stranger = staff.newCustomer(other, CUSTOMER_PASSWORD);
        String domain = "reset-" + UUID.randomUUID().toString().substring(0, 6) + ".example.com";
        String creation = staff.createJail(tenant, "64M", domain, IP);
        String jailId = staff.awaitOk(creation).path("unitId").asText();
        JsonNode first = staff.json(staff.post("/api/jobs/" + creation + "/credentials", null));
        String user = first.path("username").asText();
        String oldPassword = first.path("password").asText();
        assertThat(ftpLogin(user, oldPassword)).isTrue();

        Api customer = new Api(rest, owner, CUSTOMER_PASSWORD);
        Api otherCustomer = new Api(rest, stranger, CUSTOMER_PASSWORD);
        assertThat(otherCustomer.post("/api/units/" + jailId + "/actions/reset-ftp-password", null).getStatusCode().value())
                .as("another tenant's customer").isEqualTo(404);

        long started = System.nanoTime();
        String reset = customer.act(jailId, "reset-ftp-password");
        JsonNode job = customer.awaitOk(reset);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(job.path("kind").asText()).isEqualTo("RESET_JAIL_FTP_PASSWORD");

        // Staff may read the job, but the password is the asker's alone; the stranger sees nothing.
        assertThat(staff.post("/api/jobs/" + reset + "/credentials", null).getStatusCode().value()).isEqualTo(404);
        assertThat(otherCustomer.post("/api/jobs/" + reset + "/credentials", null).getStatusCode().value()).isEqualTo(404);
        ResponseEntity<String> shown = customer.post("/api/jobs/" + reset + "/credentials", null);
        assertThat(shown.getStatusCode().value()).as(shown.getBody()).isEqualTo(200);
        JsonNode credentials = customer.json(shown);
        String newPassword = credentials.path("password").asText();
        assertThat(credentials.path("username").asText()).isEqualTo(user);
        assertThat(credentials.path("host").asText()).isEqualTo(IP);
        assertThat(newPassword).hasSize(20).isNotEqualTo(oldPassword);
        assertThat(customer.post("/api/jobs/" + reset + "/credentials", null).getStatusCode().value())
                .as("shown once").isEqualTo(410);

        String log = staff.log(reset);
        assertThat(log).contains("[set-ftp-password]").contains("[test-ftp] FTP login as " + user)
                .contains("with another password refused (530)").contains("[forget-old-password] previous password hash removed")
                .doesNotContain(newPassword).doesNotContain(oldPassword);
        assertThat(ftpLogin(user, oldPassword)).as("old password").isFalse();
        assertThat(ftpLogin(user, newPassword)).as("new password").isTrue();
        assertThat(jdbc.sql("select count(*) from job_secret where job_id = cast(:id as uuid)").param("id", reset)
                .query(Integer.class).single()).isZero();
        System.out.printf("FTP password reset job: %d ms from request to OK%n", millis);

        staff.awaitOk(staff.act(jailId, "stop"));
        ResponseEntity<String> refused = customer.post("/api/units/" + jailId + "/actions/reset-ftp-password", null);
        assertThat(refused.getStatusCode().value()).isEqualTo(400);
        assertThat(refused.getBody()).contains("start it first");
        staff.awaitOk(staff.act(jailId, "delete"));
    }

    private boolean ftpLogin(String user, String password) throws Exception {
        FtpsClient ftp = FtpsClient.trusting(certificates.authority(), Duration.ofSeconds(20));
        try {
            ftp.connect(IP, 21);
            boolean in = ftp.loginPrivate(user, password);
            if (in) {
                ftp.logout();
            }
            return in;
        } finally {
            if (ftp.isConnected()) {
                ftp.disconnect();
            }
        }
    }
}
