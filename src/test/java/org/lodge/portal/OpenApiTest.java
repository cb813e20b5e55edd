package org.lodge.portal;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.lodge.support.PortalOnlyTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

/** The API is described by OpenAPI, with HTTP Basic as its security scheme. */
@PortalOnlyTest
@AutoConfigureMockMvc
class OpenApiTest {

    @Autowired
    MockMvc mvc;

    @Test
    void describesTheUnitAndJobEndpoints() throws Exception {
        mvc.perform(get("/api/openapi")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/units'].post").exists())
                .andExpect(jsonPath("$.paths['/api/units/{id}/snapshots'].post").exists())
                .andExpect(jsonPath("$.paths['/api/jobs/{id}/log'].get").exists())
                .andExpect(jsonPath("$.paths['/api/jobs/{id}/credentials'].post").exists())
                .andExpect(jsonPath("$.paths['/api/units/bulk'].post.summary").value(org.hamcrest.Matchers.containsString("up to 100 units")))
                .andExpect(jsonPath("$.paths['/api/batches/{id}'].get").exists())
                .andExpect(jsonPath("$.paths['/api/users/{id}/reset-2fa'].post.summary").exists())
                .andExpect(jsonPath("$.paths['/api/account/email'].put.summary").exists())
                .andExpect(jsonPath("$.paths['/api/units/{id}/backups/{backupId}'].delete.summary")
                        .value(org.hamcrest.Matchers.containsString("Delete one backup (staff)")))
                .andExpect(jsonPath("$.paths['/api/units'].get.parameters[?(@.name == 'sort')]").exists())
                .andExpect(jsonPath("$.paths['/api/jobs'].get.parameters[?(@.name == 'q')]").exists())
                .andExpect(jsonPath("$.components.securitySchemes.basic.scheme").value("basic"));
    }
}
