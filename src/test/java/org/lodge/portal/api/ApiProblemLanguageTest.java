package org.lodge.portal.api;

import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.security.ApiTokens;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The API's problem details keep their machine code and field in every language, and say title
 * and detail in the language of Accept-Language, else the token user's saved language.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class ApiProblemLanguageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    ApiTokens tokens;
    @Autowired
    JdbcClient jdbc;

    private String unitWithoutDomain(TenantEntity tenant) {
        return "{\"tenant\":\"" + tenant.getId() + "\",\"node\":\"nowhere\",\"kind\":\"JAIL\",\"diskSize\":\"1G\",\"domain\":\"\"}";
    }

    @Test
    void aRefusalKeepsItsCodeAndFieldAndIsWordedInTheAskedLanguage() throws Exception {
        TenantEntity tenant = data.tenant("apilang");
        String staff = data.staff();
        mvc.perform(post("/api/units").with(httpBasic(staff, TestData.PASSWORD)).header("Accept-Language", "it-IT,it;q=0.9")
                        .contentType(MediaType.APPLICATION_JSON).content(unitWithoutDomain(tenant)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Richiesta non valida"))
                .andExpect(jsonPath("$.problems[?(@.field == 'domain')].code").value("domain.required"))
                .andExpect(jsonPath("$.errors.domain").value("serve un nome di dominio, ad es. www.example.com"));
        mvc.perform(post("/api/units").with(httpBasic(staff, TestData.PASSWORD)).header("Accept-Language", "en")
                        .contentType(MediaType.APPLICATION_JSON).content(unitWithoutDomain(tenant)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Invalid request"))
                .andExpect(jsonPath("$.problems[?(@.field == 'domain')].code").value("domain.required"))
                .andExpect(jsonPath("$.errors.domain").value("a domain name is required, e.g. www.example.com"));
    }

    @Test
    void reservedDomainsAndUnknownActionsAreRefusedInItalian() throws Exception {
        TenantEntity tenant = data.tenant("apilang");
        String staff = data.staff();
        String reserved = unitWithoutDomain(tenant).replace("\"domain\":\"\"", "\"domain\":\"shop.test\"");
        mvc.perform(post("/api/units").with(httpBasic(staff, TestData.PASSWORD)).header("Accept-Language", "it")
                        .contentType(MediaType.APPLICATION_JSON).content(reserved))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems[?(@.field == 'domain')].code").value("domain.reserved.test"))
                .andExpect(jsonPath("$.errors.domain").value("il dominio shop.test non può essere ospitato: .test è"
                        + " riservato ai test e non esiste su internet (RFC 6761)"));
        mvc.perform(post("/api/units/" + UUID.randomUUID() + "/actions/fly").with(httpBasic(staff, TestData.PASSWORD))
                        .header("Accept-Language", "it"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.problems[0].code").value("action.unknown"))
                .andExpect(jsonPath("$.errors.action").value(startsWith("azione sconosciuta; sono consentite: start, ")));
    }

    @Test
    void withoutAcceptLanguageTheTokenUsersSavedLanguageIsUsed() throws Exception {
        TenantEntity tenant = data.tenant("apilang");
        String customer = data.customer(tenant);
        jdbc.sql("update app_user set language = 'it' where username = :u").param("u", customer).update();
        String token = tokens.create(customer, "lang", false, 1, "127.0.0.1").secret();
        UUID unit = UUID.randomUUID();
        String missing = "/api/units/" + unit;
        mvc.perform(get(missing).header("Authorization", "Bearer " + token))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.title").value("Non trovato"))
                .andExpect(jsonPath("$.kind").value("unit"))
                .andExpect(jsonPath("$.detail").value("unità " + unit + " non trovata"));
        // The header still wins over the saved choice.
        mvc.perform(get(missing).header("Authorization", "Bearer " + token).header("Accept-Language", "en"))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.title").value("Not Found"))
                .andExpect(jsonPath("$.code").value("not-found"))
                .andExpect(jsonPath("$.detail").value("unit " + unit + " not found"));
    }
}
