package org.lodge.portal.account;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.lodge.support.TestData;
import org.lodge.support.Totp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With {@code lodge.security.require-2fa-for-staff} on, staff without TOTP are sent to enrolment
 * from every page until they enrol; customers are not.
 */
@SpringBootTest(properties = {"lodge.roles=portal", "lodge.security.require-2fa-for-staff=true"})
@ActiveProfiles("test")
@AutoConfigureMockMvc
class StaffTwoFactorRequiredTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;

    @Test
    void staffWithoutTwoFactorAreSentToEnrolUntilTheyDo() throws Exception {
        String staff = data.staff();
        MockHttpSession session = login(staff);
        mvc.perform(get("/units").session(session)).andExpect(redirectedUrl("/account/2fa"));
        mvc.perform(get("/tenants").session(session)).andExpect(redirectedUrl("/account/2fa"));
        String page = mvc.perform(get("/account/2fa").session(session)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        String secret = Jsoup.parse(page).getElementById("totp-secret").text();
        mvc.perform(post("/account/2fa").session(session).with(csrf()).param("code", Totp.code(secret, 0)))
                .andExpect(status().isOk());
        mvc.perform(get("/units").session(session)).andExpect(status().isOk());
    }

    @Test
    void customersAreNotAsked() throws Exception {
        MockHttpSession session = login(data.customer(data.tenant("no2fa")));
        mvc.perform(get("/units").session(session)).andExpect(status().isOk());
    }

    private MockHttpSession login(String user) throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(post("/login").session(session).with(csrf()).param("username", user)
                .param("password", TestData.PASSWORD)).andExpect(redirectedUrl("/"));
        return session;
    }
}
