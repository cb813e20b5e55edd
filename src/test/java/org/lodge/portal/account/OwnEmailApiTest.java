package org.lodge.portal.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lodge.portal.security.ApiTokens;
import org.lodge.portal.tenant.TenantEntity;
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
 * Everyone sets their own e-mail address through the API as on the account page: only their own
 * (nothing in the request names another user), not with a read-only token (whose refusal, like an
 * unknown token's, has its code and the caller's language), a bad or too long address refused with
 * its code in the caller's language, blank removes it; every change audited.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class OwnEmailApiTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ApiTokens tokens;
    @Autowired
    UserDetailsService users;

    private static MockHttpServletRequestBuilder setEmail(String json) {
        return put("/api/account/email").contentType(MediaType.APPLICATION_JSON).content(json);
    }

    private String email(String username) {
        return jdbc.sql("select email from app_user where username = :u").param("u", username).query(String.class).optional().orElse(null);
    }

    private int audited(String username) {
        return jdbc.sql("select count(*) from audit_event where principal = :p and kind = 'EMAIL_CHANGED'")
                .param("p", username).query(Integer.class).single();
    }

    @Test
    void aCustomerSetsAndClearsTheirOwnAddressOnlyAndEachChangeIsAudited() throws Exception {
        TenantEntity tenant = data.tenant("own-email");
        String customer = data.customer(tenant);
        String colleague = data.customer(tenant);

        // Naming another user in the body or the query changes nothing but the caller's own address.
        mvc.perform(setEmail("{\"email\":\" me@rossi.example.com \",\"username\":\"" + colleague + "\"}")
                        .param("username", colleague).with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.email").value("me@rossi.example.com"));
        assertThat(email(customer)).isEqualTo("me@rossi.example.com");
        assertThat(email(colleague)).isNull();
        mvc.perform(get("/api/account/email").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.email").value("me@rossi.example.com"));
        // The same address again is no change: not audited twice.
        mvc.perform(setEmail("{\"email\":\"me@rossi.example.com\"}").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isOk());
        assertThat(audited(customer)).isOne();

        mvc.perform(setEmail("{\"email\":\"\"}").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.email").doesNotExist());
        assertThat(email(customer)).isNull();
        assertThat(audited(customer)).isEqualTo(2);

        // The account page's change is the same service: audited alike.
        mvc.perform(post("/account/preferences").param("lang", "en").param("timeZone", "")
                .param("email", "page@rossi.example.com").with(csrf()).with(user(users.loadUserByUsername(customer))));
        assertThat(email(customer)).isEqualTo("page@rossi.example.com");
        assertThat(audited(customer)).isEqualTo(3);
        assertThat(jdbc.sql("select detail from audit_event where principal = :p and kind = 'EMAIL_CHANGED' order by id")
                .param("p", customer).query(String.class).list()).containsExactly("e-mail address set to me@rossi.example.com",
                "e-mail address removed", "e-mail address set to page@rossi.example.com");
        assertThat(audited(colleague)).isZero();
    }

    @Test
    void aReadOnlyTokenIsRefusedAndAFullOneMaySetIt() throws Exception {
        String customer = data.customer(data.tenant("own-email"));
        String readOnly = tokens.create(customer, "reader", true, 1, "127.0.0.1").secret();
        String full = tokens.create(customer, "writer", false, 1, "127.0.0.1").secret();

        mvc.perform(setEmail("{\"email\":\"ro@rossi.example.com\"}").header("Authorization", "Bearer " + readOnly))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.code").value("token.read-only"))
                .andExpect(jsonPath("$.detail").value("this token is read-only: it may only read (GET)"));
        // Said in the token owner's saved language, unless the request asks for another.
        jdbc.sql("update app_user set language = 'it' where username = :u").param("u", customer).update();
        mvc.perform(setEmail("{\"email\":\"ro@rossi.example.com\"}").header("Authorization", "Bearer " + readOnly))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.title").value("Non consentito"))
                .andExpect(jsonPath("$.detail").value("questo token è di sola lettura: può solo leggere (GET)"));
        mvc.perform(setEmail("{\"email\":\"ro@rossi.example.com\"}").header("Authorization", "Bearer " + readOnly)
                        .header("Accept-Language", "en"))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.title").value("Forbidden"));
        mvc.perform(get("/api/account/email").header("Authorization", "Bearer not-a-token").header("Accept-Language", "it"))
                .andExpect(status().isUnauthorized()).andExpect(jsonPath("$.code").value("token.invalid"))
                .andExpect(jsonPath("$.detail").value("il token è sconosciuto, scaduto o revocato"));
        assertThat(email(customer)).isNull();
        mvc.perform(get("/api/account/email").header("Authorization", "Bearer " + readOnly)).andExpect(status().isOk());

        mvc.perform(setEmail("{\"email\":\"rw@rossi.example.com\"}").header("Authorization", "Bearer " + full))
                .andExpect(status().isOk());
        assertThat(email(customer)).isEqualTo("rw@rossi.example.com");
    }

    @Test
    void aBadOrTooLongAddressIsRefusedWithItsCodeInTheCallersLanguage() throws Exception {
        String customer = data.customer(data.tenant("own-email"));
        mvc.perform(setEmail("{\"email\":\"Me <me@x.example.com>, you@y.example.com\"}").header("Accept-Language", "it")
                        .with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("email.invalid"))
                .andExpect(jsonPath("$.field").value("email"))
                .andExpect(jsonPath("$.title").value("Richiesta non valida"))
                .andExpect(jsonPath("$.errors.email").value("'Me <me@x.example.com>, you@y.example.com' non è un"
                        + " indirizzo e-mail; scrivine uno come nome@example.com"));
        String tooLong = "a".repeat(250) + "@x.it";
        mvc.perform(setEmail("{\"email\":\"" + tooLong + "\"}").header("Accept-Language", "en")
                        .with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("email.too-long"))
                .andExpect(jsonPath("$.errors.email").value("an e-mail address has at most 254 characters"));
        mvc.perform(setEmail("{\"email\":\"no-at-sign.example.com\"}").with(httpBasic(customer, TestData.PASSWORD)))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("email.invalid"));
        assertThat(email(customer)).isNull();
        assertThat(audited(customer)).isZero();
    }
}
