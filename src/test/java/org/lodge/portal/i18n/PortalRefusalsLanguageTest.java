package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The portal's own refusals (tenants, users, the team page) are said in the reader's language on
 * the web forms, and carry their code with a translated detail in the API.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class PortalRefusalsLanguageTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    TenantService tenants;
    @Autowired
    UserDetailsService users;

    @Test
    void theTeamPageRefusesInItalian() throws Exception {
        TenantEntity tenant = data.tenant("refusals-team");
        String admin = "ta" + UUID.randomUUID().toString().substring(0, 8);
        UUID adminId = tenants.createUser(admin, TestData.PASSWORD, Role.TENANT_ADMIN, tenant.getId()).getId();
        RequestPostProcessor asAdmin = user(users.loadUserByUsername(admin));

        String page = mvc.perform(post("/team/users").param("username", "Bad Name").param("role", "CUSTOMER")
                        .header("Accept-Language", "it").with(csrf()).with(asAdmin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("un nome utente ha da 3 a 64 caratteri: lettere minuscole, cifre")
                .doesNotContain("a username has");
        page = mvc.perform(post("/team/users").param("username", "new-staff").param("role", "STAFF")
                        .header("Accept-Language", "it").with(csrf()).with(asAdmin))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("un utente del cliente può essere solo cliente o amministratore del cliente");
        mvc.perform(post("/team/users/" + adminId + "/disable").header("Accept-Language", "it").with(csrf()).with(asAdmin))
                .andExpect(flash().attribute("error", "non puoi disabilitare te stesso: chiedi a un altro amministratore"));
    }

    @Test
    void staffFormsAndTheApiRefuseATenantOrUserInTheAskedLanguage() throws Exception {
        String staff = data.staff();
        mvc.perform(post("/tenants").param("name", " ").header("Accept-Language", "it").with(csrf())
                        .with(user(users.loadUserByUsername(staff))))
                .andExpect(flash().attribute("error", "il nome di un cliente ha da 1 a 100 caratteri stampabili"));

        TenantEntity tenant = data.tenant("refusals-api");
        mvc.perform(post("/api/tenants").with(httpBasic(staff, TestData.PASSWORD)).header("Accept-Language", "it")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"" + tenant.getName() + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("tenant.name.taken"))
                .andExpect(jsonPath("$.errors.name").value("esiste già un cliente di nome '" + tenant.getName() + "'"));
        mvc.perform(post("/api/tenants/" + tenant.getId() + "/users").with(httpBasic(staff, TestData.PASSWORD))
                        .header("Accept-Language", "it").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"shortpw\",\"password\":\"short\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("password.length"))
                .andExpect(jsonPath("$.errors.password").value("una password ha da 12 a 128 caratteri"));
        mvc.perform(post("/api/tenants/" + tenant.getId() + "/users").with(httpBasic(staff, TestData.PASSWORD))
                        .header("Accept-Language", "en").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"shortpw\",\"password\":\"short\"}"))
                .andExpect(jsonPath("$.errors.password").value("a password has 12 to 128 characters"));
    }
}
