package org.lodge.portal.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.lodge.portal.tenant.Role;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.JobView;
import org.lodge.provisioning.UnitKind;
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
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The portal's own refusals (tenants, users, the team page, a bank transfer, a disk export the portal cannot read) are said in the reader's language on the web
 * forms, and carry their code with a translated detail in the API.
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
    @Autowired
    UnitService units;
    @Autowired
    JdbcClient jdbc;

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

    @Test
    void aTransferIsRefusedInItalian() throws Exception {
        RequestPostProcessor staff = user(users.loadUserByUsername(data.staff()));
        TenantEntity tenant = data.tenant("refusals-transfer");
        mvc.perform(post("/billing/payments").param("tenantId", UUID.randomUUID().toString()).param("amount", "5.00")
                        .param("reference", "r-1").header("Accept-Language", "it").with(csrf()).with(staff))
                .andExpect(flash().attribute("paymentErrors", Map.of("tenant", "Questo tenant non esiste.")));
        mvc.perform(post("/billing/payments").param("tenantId", tenant.getId().toString()).param("invoice", "2042/999999")
                        .param("amount", "5.00").param("reference", "r-2").header("Accept-Language", "it").with(csrf())
                        .with(staff))
                .andExpect(flash().attribute("paymentErrors",
                        Map.of("invoice", "Questo tenant non ha una fattura emessa con quel numero.")));
        // Billing's own refusals on that form too.
        mvc.perform(post("/billing/payments").param("tenantId", tenant.getId().toString()).param("amount", "dodici")
                        .param("reference", "r-3").header("Accept-Language", "it").with(csrf()).with(staff))
                .andExpect(flash().attribute("paymentErrors", Map.of("amount", "un importo in euro, ad es. 12.20")));
    }

    /** 409: the portal's user cannot read an export on the VM's node (here: no such file). */
    @Test
    void anExportThePortalCannotReadIsRefusedInItalianWithItsCode() throws Exception {
        String node = "refusals-" + UUID.randomUUID().toString().substring(0, 6);
        data.node(node, 10L << 30);
        TenantEntity tenant = data.tenant("refusals-export");
        JobView create = AsStaff.call(() -> units.requestUnit(new UnitRequest(tenant.getId(), node, UnitKind.VM, "256M",
                "x" + UUID.randomUUID().toString().substring(0, 8) + ".example.com", data.freeAddress(), "1", "128",
                "lodge-test", null), "staff"));
        String path = "/var/lib/lodge/test-vms/no-such-export-" + create.id() + ".qcow2";
        jdbc.sql("insert into vm_export (job_id, unit_id, format, path, bytes) values (:j, :u, 'qcow2', :p, 1)")
                .param("j", create.id()).param("u", create.unitId()).param("p", path).update();
        String download = "/units/" + create.unitId() + "/exports/" + create.id() + "/download";
        String staff = data.staff();

        String page = mvc.perform(get(download).header("Accept-Language", "it").with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isConflict()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("il portale non può leggere " + path + ": gira come utente senza privilegi")
                .doesNotContain("cannot read");
        mvc.perform(get("/api" + download).header("Accept-Language", "it").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.code").value("export.unreadable"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("il portale non può leggere " + path)));
        mvc.perform(get("/api" + download).header("Accept-Language", "en").with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("the portal cannot read " + path)));
    }
}
