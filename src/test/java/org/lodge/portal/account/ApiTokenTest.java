package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitRequest;
import org.lodge.provisioning.UnitService;
import org.lodge.support.AsStaff;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Personal API tokens end to end through the real filter chain and database: made on the account
 * page and shown once, kept only as a SHA-256, accepted as Bearer by /api/**, limited to the
 * owner's tenant, read-only ones refused on writes, revoked and expired ones refused with 401.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class ApiTokenTest {

    private static final Pattern TOKEN = Pattern.compile("lodge_[A-Za-z0-9_-]{43}");

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UnitService units;
    @Autowired
    UserDetailsService users;
    @Autowired
    JdbcClient jdbc;

    String customerOfA;
    String customerOfB;
    UUID unitOfA;
    UUID unitOfB;
    String domainOfB;

    @BeforeEach
    void twoTenantsWithARunningJailEach() {
        data.node("token-node", 10L << 30);
        TenantEntity a = data.tenant("token-a");
        TenantEntity b = data.tenant("token-b");
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        unitOfA = runningJail(a, "ta" + UUID.randomUUID().toString().substring(0, 8) + ".example.com");
        domainOfB = "tb" + UUID.randomUUID().toString().substring(0, 8) + ".example.com";
        unitOfB = runningJail(b, domainOfB);
    }

    /** As the worker leaves a created jail: its creation job OK, the jail running. */
    private UUID runningJail(TenantEntity tenant, String domain) {
        JobView job = AsStaff.call(() -> units.requestUnit(UnitRequest.jail(tenant.getId(), "token-node", "256M", domain,
                data.freeAddress(), null), "staff"));
        jdbc.sql("update provisioning_job set state = 'OK' where id = :j").param("j", job.id()).update();
        jdbc.sql("update unit set state = 'RUNNING' where id = :u").param("u", job.unitId()).update();
        return job.unitId();
    }

    private String newToken(String username, String name, boolean readOnly) throws Exception {
        MockHttpServletRequestBuilder create = post("/account/tokens").param("name", name).param("days", "30")
                .with(csrf()).with(user(users.loadUserByUsername(username)));
        if (readOnly) {
            create.param("readOnly", "true");
        }
        String page = mvc.perform(create).andExpect(status().isOk()).andExpect(header().string("Cache-Control", "no-store"))
                .andReturn().getResponse().getContentAsString();
        Matcher token = TOKEN.matcher(page);
        assertThat(token.find()).as(page).isTrue();
        return token.group();
    }

    private static MockHttpServletRequestBuilder bearer(MockHttpServletRequestBuilder request, String token) {
        return request.header("Authorization", "Bearer " + token);
    }

    @Test
    void aFullTokenActsAsItsOwnerWithinTheOwnersTenantOnly() throws Exception {
        String token = newToken(customerOfA, "deploy script", false);

        String list = mvc.perform(bearer(get("/api/units"), token)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(list).contains(unitOfA.toString()).doesNotContain(unitOfB.toString()).doesNotContain(domainOfB);
        mvc.perform(bearer(get("/api/units/" + unitOfB), token)).andExpect(status().isNotFound());
        mvc.perform(bearer(post("/api/units/" + unitOfB + "/actions/reset-ftp-password"), token))
                .andExpect(status().isNotFound());
        mvc.perform(bearer(post("/api/units/" + unitOfA + "/actions/reset-ftp-password"), token))
                .andExpect(status().isAccepted());
        // Staff-only stays staff-only.
        mvc.perform(bearer(get("/api/tenants"), token)).andExpect(status().isForbidden());
        // A token is not the password: it cannot change it.
        mvc.perform(bearer(post("/api/account/password"), token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"currentPassword\":\"x\",\"newPassword\":\"another-long-password\"}"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void onlyTheHashIsStoredAndTheLastUseIsShown() throws Exception {
        String token = newToken(customerOfA, "monitoring", true);
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        assertThat(jdbc.sql("select count(*) from api_token where token_sha256 = :h").param("h", hash)
                .query(Integer.class).single()).isOne();
        assertThat(jdbc.sql("select count(*) from api_token where encode(token_sha256, 'escape') like :t")
                .param("t", "%" + token.substring(6) + "%").query(Integer.class).single()).isZero();
        String before = mvc.perform(get("/account").with(user(users.loadUserByUsername(customerOfA))))
                .andReturn().getResponse().getContentAsString();
        assertThat(before).contains("monitoring").contains("never").doesNotContain(token);

        mvc.perform(bearer(get("/api/units"), token).with(r -> {
            r.setRemoteAddr("192.0.2.7");
            return r;
        })).andExpect(status().isOk());

        String after = mvc.perform(get("/account").with(user(users.loadUserByUsername(customerOfA))))
                .andReturn().getResponse().getContentAsString();
        assertThat(after).contains("from 192.0.2.7").contains("read-only").doesNotContain(token);
        assertThat(jdbc.sql("select count(*) from audit_event where principal = :p and kind = 'TOKEN_CREATED'")
                .param("p", customerOfA).query(Integer.class).single()).isOne();
    }

    @Test
    void aReadOnlyTokenReadsButIsRefusedEveryWrite() throws Exception {
        String token = newToken(customerOfA, "read only", true);

        mvc.perform(bearer(get("/api/units/" + unitOfA), token)).andExpect(status().isOk());
        mvc.perform(bearer(post("/api/units/" + unitOfA + "/actions/stop"), token)).andExpect(status().isForbidden());
        mvc.perform(bearer(post("/api/units/" + unitOfA + "/actions/reset-ftp-password"), token))
                .andExpect(status().isForbidden());
        assertThat(jdbc.sql("select count(*) from provisioning_job where unit_id = :u").param("u", unitOfA)
                .query(Integer.class).single()).as("nothing queued").isOne();
    }

    @Test
    void revokedExpiredAndForgedTokensAre401() throws Exception {
        String revoked = newToken(customerOfA, "to revoke", false);
        String expired = newToken(customerOfA, "to expire", false);
        mvc.perform(bearer(get("/api/units"), revoked)).andExpect(status().isOk());

        UUID id = jdbc.sql("select t.id from api_token t join app_user u on u.id = t.user_id"
                        + " where u.username = :u and t.name = 'to revoke'").param("u", customerOfA)
                .query(UUID.class).single();
        // Another user cannot revoke it: it is not theirs to find.
        mvc.perform(post("/account/tokens/" + id + "/revoke").with(csrf()).with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isNotFound());
        mvc.perform(bearer(get("/api/units"), revoked)).andExpect(status().isOk());
        mvc.perform(post("/account/tokens/" + id + "/revoke").with(csrf()).with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().is3xxRedirection());
        mvc.perform(bearer(get("/api/units"), revoked)).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer error=\"invalid_token\""));

        jdbc.sql("update api_token set created_at = now() - interval '31 days', expires_at = now() - interval '1 second'"
                + " where name = 'to expire'").update();
        mvc.perform(bearer(get("/api/units"), expired)).andExpect(status().isUnauthorized());

        mvc.perform(bearer(get("/api/units"), "lodge_" + "A".repeat(43))).andExpect(status().isUnauthorized());
        mvc.perform(bearer(get("/api/units"), "not-a-token")).andExpect(status().isUnauthorized());
        // HTTP Basic still works beside tokens.
        mvc.perform(get("/api/units").with(httpBasic(customerOfA, TestData.PASSWORD))).andExpect(status().isOk());
    }

    @Test
    void badTokenRequestsChangeNothing() throws Exception {
        for (String[] bad : new String[][] {{"", "30"}, {"x".repeat(65), "30"}, {"ok", "0"}, {"ok", "366"}, {"ok", "many"}}) {
            String page = mvc.perform(post("/account/tokens").param("name", bad[0]).param("days", bad[1]).with(csrf())
                            .with(user(users.loadUserByUsername(customerOfB))))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
            assertThat(page).contains("token-errors").doesNotContainPattern(TOKEN.pattern());
        }
        newToken(customerOfB, "twice", false);
        String again = mvc.perform(post("/account/tokens").param("name", "twice").param("days", "30").with(csrf())
                .with(user(users.loadUserByUsername(customerOfB)))).andReturn().getResponse().getContentAsString();
        assertThat(again).contains("already have a token named").doesNotContainPattern(TOKEN.pattern());
        assertThat(jdbc.sql("select count(*) from api_token t join app_user u on u.id = t.user_id where u.username = :u")
                .param("u", customerOfB).query(Integer.class).single()).isOne();
    }
}
