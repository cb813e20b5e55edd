package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import jakarta.servlet.RequestDispatcher;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.support.AsStaff;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

/**
 * What a customer reads when something goes wrong is in our words: never a host path, a tool's
 * output or a Java type name. Staff still read the job log as the worker wrote it.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class CustomerErrorsTest {

    /** What a failing step really writes: a tool's complaint about a file on the node. */
    private static final String TOOL_ERROR =
            "mkfs.ext4 exited 1: /var/lib/lodge/jails/unit-1.img: No space left on device (java.io.IOException)";

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

    String staff;
    String customer;
    JobView job;

    @BeforeEach
    void aFailedJob() {
        data.node("errors-node", 10L << 30);
        TenantEntity tenant = data.tenant("errors");
        staff = data.staff();
        customer = data.customer(tenant);
        job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "errors-node", "256M",
                "e" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), null), "staff"));
        jdbc.sql("insert into job_log (job_id, step, level, message) values (:id, 'disk-image', 'INFO',"
                        + " 'resize2fs: the filesystem on /var/lib/lodge/jails/unit-1.img is now 65536 blocks long')")
                .param("id", job.id()).update();
        jdbc.sql("insert into job_log (job_id, step, level, message) values (:id, 'disk-image', 'ERROR', :m)")
                .param("id", job.id()).param("m", "failed: " + TOOL_ERROR).update();
        jdbc.sql("update provisioning_job set last_error = :e where id = :id")
                .param("e", "disk-image: " + TOOL_ERROR).param("id", job.id()).update();
    }

    private String body(RequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse().getContentAsString();
    }

    private static void assertOurWordsOnly(String text) {
        assertThat(text).doesNotContain("/var/lib").doesNotContain("mkfs").doesNotContain("java.")
                .doesNotContain("Exception").doesNotContain("No space left");
    }

    @Test
    void aCustomerSeesWhatFailedButNotTheToolsOutputOrHostPaths() throws Exception {
        for (String path : new String[] {"/api/jobs/" + job.id(), "/api/jobs/" + job.id() + "/log",
                "/api/jobs/" + job.id() + "/log.txt"}) {
            String text = body(get(path).with(httpBasic(customer, TestData.PASSWORD)));
            assertOurWordsOnly(text);
            assertThat(text).contains("failed");
        }
        String page = body(get("/jobs/" + job.id()).with(user(users.loadUserByUsername(customer))));
        assertOurWordsOnly(page);
    }

    @Test
    void staffStillReadTheWholeLog() throws Exception {
        String log = body(get("/api/jobs/" + job.id() + "/log").with(httpBasic(staff, TestData.PASSWORD)));
        assertThat(log).contains("mkfs.ext4 exited 1").contains("/var/lib/lodge/jails/unit-1.img");
    }

    @Test
    void aMalformedApiRequestIsAnsweredWithoutJavaTypeNames() throws Exception {
        for (String json : new String[] {"{\"tenant\": [1, 2], \"diskSize\": {}}", "{not json", "{\"vcpus\": {\"a\": 1}}"}) {
            MvcResult result = mvc.perform(post("/api/units").with(httpBasic(staff, TestData.PASSWORD))
                    .contentType(MediaType.APPLICATION_JSON).content(json)).andReturn();
            assertThat(result.getResponse().getStatus()).isEqualTo(400);
            assertThat(result.getResponse().getContentType()).contains("application/problem+json");
            String text = result.getResponse().getContentAsString();
            assertOurWordsOnly(text);
            assertThat(text).doesNotContain("Jackson").doesNotContain("JSON parse error").contains("not valid JSON");
        }
    }

    @Test
    void theErrorPageNeverShowsTheExceptionsMessage() throws Exception {
        IllegalStateException failure = new IllegalStateException(TOOL_ERROR);
        for (MediaType accept : new MediaType[] {MediaType.TEXT_HTML, MediaType.APPLICATION_JSON}) {
            MvcResult result = mvc.perform(get("/error").accept(accept)
                    .with(httpBasic(customer, TestData.PASSWORD))
                    .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, 500)
                    .requestAttr(RequestDispatcher.ERROR_EXCEPTION, failure)
                    .requestAttr(RequestDispatcher.ERROR_MESSAGE, TOOL_ERROR)
                    .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, "/units")).andReturn();
            String text = result.getResponse().getContentAsString();
            assertOurWordsOnly(text);
            assertThat(text).doesNotContain("IllegalStateException");
            if (accept.equals(MediaType.TEXT_HTML)) {
                assertThat(text).contains("Something went wrong on our side.");
            }
        }
    }
}
