package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.provisioning.secret.SecretCipher;
import org.lodge.support.AsStaff;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Every attempt to reveal a job's FTP password, on the job page or through the API, leaves an audit record. */
@PortalOnlyTest
@AutoConfigureMockMvc
class CredentialsAuditTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    UserDetailsService users;
    @Autowired
    SecretCipher cipher;

    String customer;
    String stranger;
    JobView job;

    /** A creation job as the worker leaves it on OK: state OK, the password waiting in job_secret. */
    @BeforeEach
    void aJobWithCredentialsWaiting() {
        data.node("audit-node", 10L << 30);
        TenantEntity tenant = data.tenant("audit");
        customer = data.customer(tenant);
        stranger = data.customer(data.tenant("stranger"));
        job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "audit-node", "256M",
                "r" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"));
        jdbc.sql("update provisioning_job set state = 'OK' where id = :id").param("id", job.id()).update();
        jdbc.sql("insert into job_secret (job_id, ftp_user, ftp_password_sealed) values (:id, 'web1', :sealed)")
                .param("id", job.id()).param("sealed", cipher.seal("the-clear-password")).update();
    }

    private List<String> auditOf(String principal) {
        return jdbc.sql("select kind || ' ' || detail || ' ' || coalesce(remote_addr, '-') from audit_event"
                        + " where principal = :p order by id")
                .param("p", principal).query(String.class).list();
    }

    private int status(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request.with(r -> {
            r.setRemoteAddr("192.0.2.44");
            return r;
        })).andReturn().getResponse().getStatus();
    }

    @Test
    void auditsTheRevealThroughTheApiAndTheRefusalAfterIt() throws Exception {
        String reveal = "/api/jobs/" + job.id() + "/credentials";
        assertThat(status(post(reveal).with(httpBasic(customer, TestData.PASSWORD)))).isEqualTo(200);
        assertThat(status(post(reveal).with(httpBasic(customer, TestData.PASSWORD)))).isEqualTo(410);

        assertThat(auditOf(customer)).containsExactly(
                "CREDENTIALS_REVEALED FTP credentials of job " + job.id() + " 192.0.2.44",
                "CREDENTIALS_GONE FTP credentials of job " + job.id() + " 192.0.2.44");
    }

    @Test
    void auditsTheRevealOnTheJobPage() throws Exception {
        assertThat(status(post("/jobs/" + job.id() + "/credentials").with(csrf())
                .with(user(users.loadUserByUsername(customer))))).isEqualTo(200);

        assertThat(auditOf(customer)).containsExactly(
                "CREDENTIALS_REVEALED FTP credentials of job " + job.id() + " 192.0.2.44");
    }

    @Test
    void auditsAnotherTenantsAttemptAndKeepsThePassword() throws Exception {
        assertThat(status(post("/api/jobs/" + job.id() + "/credentials").with(httpBasic(stranger, TestData.PASSWORD))))
                .isEqualTo(404);

        assertThat(auditOf(stranger)).containsExactly(
                "CREDENTIALS_DENIED FTP credentials of job " + job.id() + " 192.0.2.44");
        assertThat(jdbc.sql("select count(*) from job_secret where job_id = :id").param("id", job.id())
                .query(Long.class).single()).as("the password still waits for its owner").isEqualTo(1);
    }
}
