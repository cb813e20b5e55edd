package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Resetting another user's two-factor login through the API: staff may for anybody, a tenant
 * administrator for their own tenant's users only (another tenant's user: 404, nothing changed),
 * a customer not at all (403); each reset is audited. OpenApiTest finds it documented.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class TeamApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    TenantService tenants;
    @Autowired
    JdbcClient jdbc;

    String adminOfA;
    String customerOfA;
    String customerOfB;
    String plainCustomerOfA;

    @BeforeEach
    void twoTenantsWithTwoFactorOn() {
        TenantEntity a = data.tenant("team-api-a");
        TenantEntity b = data.tenant("team-api-b");
        adminOfA = "ta" + UUID.randomUUID().toString().substring(0, 8);
        tenants.createUser(adminOfA, TestData.PASSWORD, Role.TENANT_ADMIN, a.getId());
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        plainCustomerOfA = data.customer(a);
        for (String user : new String[] {customerOfA, customerOfB}) {
            jdbc.sql("insert into user_totp (user_id, secret_sealed, confirmed_at) values (:id, 'sealed', now())")
                    .param("id", id(user)).update();
        }
    }

    @Test
    void aTenantAdministratorResetsTheirOwnUsersOnlyAndACustomerNobodys() throws Exception {
        mvc.perform(post("/api/users/" + id(customerOfB) + "/reset-2fa").with(httpBasic(adminOfA, TestData.PASSWORD)))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not-found"));
        assertThat(hasTwoFactor(customerOfB)).as("another tenant's user keeps it").isTrue();
        // A plain customer (without two-factor login, so that HTTP Basic alone lets them in) may not.
        mvc.perform(post("/api/users/" + id(customerOfB) + "/reset-2fa").with(httpBasic(plainCustomerOfA, TestData.PASSWORD)))
                .andExpect(status().isForbidden());
        assertThat(hasTwoFactor(customerOfB)).isTrue();

        mvc.perform(post("/api/users/" + id(customerOfA) + "/reset-2fa").with(httpBasic(adminOfA, TestData.PASSWORD)))
                .andExpect(status().isNoContent());
        assertThat(hasTwoFactor(customerOfA)).isFalse();
        assertThat(audited(adminOfA, customerOfA)).isEqualTo(1);
    }

    @Test
    void staffResetAnybodys() throws Exception {
        String staff = data.staff();
        mvc.perform(post("/api/users/" + id(customerOfB) + "/reset-2fa").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isNoContent());
        assertThat(hasTwoFactor(customerOfB)).isFalse();
        assertThat(audited(staff, customerOfB)).isEqualTo(1);
        mvc.perform(post("/api/users/" + UUID.randomUUID() + "/reset-2fa").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isNotFound());
    }

    private boolean hasTwoFactor(String username) {
        return jdbc.sql("select count(*) from user_totp where user_id = :id").param("id", id(username))
                .query(Long.class).single() > 0;
    }

    private long audited(String by, String whose) {
        return jdbc.sql("select count(*) from audit_event where principal = :by and kind = 'TWO_FACTOR_RESET'"
                        + " and detail like :d").param("by", by).param("d", "%" + whose + "%").query(Long.class).single();
    }

    private UUID id(String username) {
        return jdbc.sql("select id from app_user where username = :u").param("u", username).query(UUID.class).single();
    }
}
