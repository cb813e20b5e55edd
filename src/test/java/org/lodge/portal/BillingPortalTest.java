package org.lodge.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.billing.Catalog;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.NewPlan;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.provisioning.UnitKind;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The billing pages and API: a customer sees and downloads their own invoices only (another
 * tenant's answers 404), cannot touch plans, prices, runs or issuing (403), and staff's bad
 * input is refused with a message and changes nothing.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class BillingPortalTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    UserDetailsService users;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    PlanStore plans;
    @Autowired
    BillingRunner runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    Catalog catalog;

    InvoiceView invoiceOfA;
    UUID tenantA;
    String customerOfA;
    String customerOfB;
    String staff;

    @BeforeEach
    void anInvoiceOfTenantA() {
        TenantEntity a = data.tenant("bill-a");
        tenantA = a.getId();
        TenantEntity b = data.tenant("bill-b");
        customerOfA = data.customer(a);
        customerOfB = data.customer(b);
        staff = data.staff();
        UUID plan = plans.byCode("jail-basic", LocalDate.now()).orElseThrow().id();
        subscriptions.start(a.getId(), UUID.randomUUID(), "shop-a.example.com", plan, LocalDate.parse("2024-09-03"),
                1L << 30);
        runner.run(LocalDate.parse("2024-09-03"));
        invoiceOfA = invoices.list(Optional.of(a.getId())).get(0);
    }

    @Test
    void anotherTenantsCustomerGetsNotFoundForEveryInvoiceEndpoint() throws Exception {
        for (String path : List.of("/api/billing/invoices/" + invoiceOfA.id(), "/api/billing/invoices/" + invoiceOfA.id()
                + "/pdf", "/api/billing/invoices/" + invoiceOfA.id() + "/fatturapa", "/api/billing/invoices/" + invoiceOfA.id() + "/payments",
                "/api/billing/customers/" + tenantA)) {
            mvc.perform(get(path).with(httpBasic(customerOfB, TestData.PASSWORD)))
                    .andExpect(status().isNotFound());
        }
        mvc.perform(get("/billing/invoices/" + invoiceOfA.id() + "/pdf").with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isNotFound());
        String list = mvc.perform(get("/api/billing/invoices").with(httpBasic(customerOfB, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(list).doesNotContain(invoiceOfA.id().toString());
        String page = mvc.perform(get("/billing/invoices").with(user(users.loadUserByUsername(customerOfB))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).doesNotContain(invoiceOfA.number(), "shop-a.example.com");
        String subs = mvc.perform(get("/api/billing/subscriptions").with(httpBasic(customerOfB, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(subs).doesNotContain("shop-a.example.com");
    }

    @Test
    void customersCannotChangePlansPricesRunsOrInvoices() throws Exception {
        List<MockHttpServletRequestBuilder> staffWork = List.of(
                post("/api/billing/plans").contentType(MediaType.APPLICATION_JSON).content(planJson("cust-plan", "1.00")),
                post("/api/billing/plans/jail-basic/prices").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthlyPrice\":\"0.01\"}"),
                post("/api/billing/runs"), post("/api/billing/invoices/" + invoiceOfA.id() + "/issue"),
                org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put("/api/billing/customers/" + tenantA)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"legalName\":\"X\"}"),
                post("/api/billing/subscriptions/" + UUID.randomUUID() + "/plan").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"plan\":\"jail-basic\"}"),
                post("/api/billing/invoices/" + invoiceOfA.id() + "/payments").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"amount\":\"6.10\",\"reference\":\"self-paid\"}"),
                post("/api/billing/dunning-runs"));
        for (MockHttpServletRequestBuilder request : staffWork) {
            mvc.perform(request.with(httpBasic(customerOfA, TestData.PASSWORD))).andExpect(status().isForbidden());
        }
        mvc.perform(get("/billing/plans").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isForbidden());
        mvc.perform(post("/billing/plans/jail-basic/prices").param("monthlyPrice", "0.01").with(csrf())
                .with(user(users.loadUserByUsername(customerOfA)))).andExpect(status().isForbidden());
        mvc.perform(post("/billing/runs").with(csrf()).with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isForbidden());
        assertThat(catalog.plan("jail-basic").monthlyPrice().toString()).isEqualTo("5.00 EUR");

        // The service checks the role itself, should a URL rule be forgotten.
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(customerOfA, null,
                AuthorityUtils.createAuthorityList("ROLE_CUSTOMER")));
        SecurityContextHolder.setContext(context);
        try {
            assertThatThrownBy(() -> catalog.changePrice("jail-basic", "0.01", null))
                    .isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> catalog.create(new NewPlan("x", "x", UnitKind.JAIL, "1G", "64", "1", "0", "1.00",
                    null, false))).isInstanceOf(AccessDeniedException.class);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    @Test
    void theCustomerDownloadsTheirOwnInvoiceAsPdf() throws Exception {
        byte[] pdf = mvc.perform(get("/api/billing/invoices/" + invoiceOfA.id() + "/pdf")
                        .with(httpBasic(customerOfA, TestData.PASSWORD)))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_PDF))
                .andReturn().getResponse().getContentAsByteArray();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(new PDFTextStripper().getText(doc)).contains(invoiceOfA.number(), "6.10 EUR");
        }
        String page = mvc.perform(get("/billing/invoices").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains(invoiceOfA.number(), "/billing/invoices/" + invoiceOfA.id() + "/pdf",
                "shop-a.example.com").doesNotContain("Run billing");
        mvc.perform(get("/billing/invoices/" + invoiceOfA.id() + "/pdf").with(user(users.loadUserByUsername(customerOfA))))
                .andExpect(status().isOk()).andExpect(content().contentType(MediaType.APPLICATION_PDF));
    }

    @Test
    void staffBadPlanInputIsRefusedWithReasonsAndChangesNothing() throws Exception {
        String code = "p" + UUID.randomUUID().toString().substring(0, 8);
        mvc.perform(post("/api/billing/plans").contentType(MediaType.APPLICATION_JSON)
                        .content(planJson(code, "-1.00").replace("\"1G\"", "\"lots\""))
                        .with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("negative")))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("disk size")));
        assertThat(catalog.plans()).noneMatch(p -> p.code().equals(code));

        mvc.perform(post("/api/billing/plans").contentType(MediaType.APPLICATION_JSON).content(planJson(code, "7.50"))
                        .with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.monthlyPrice.amount").value(7.5));
        mvc.perform(post("/api/billing/plans/" + code + "/prices").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthlyPrice\":\"9.00\",\"effectiveFrom\":\"2001-01-01\"}")
                        .with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());
        String future = LocalDate.now().plusDays(30).toString();
        mvc.perform(post("/api/billing/plans/" + code + "/prices").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"monthlyPrice\":\"9.00\",\"effectiveFrom\":\"" + future + "\"}")
                        .with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isOk());
        assertThat(catalog.plan(code).monthlyPrice().toString()).as("in force from its date only").isEqualTo("7.50 EUR");
        assertThat(catalog.prices(code)).hasSize(2);
        mvc.perform(get("/billing/plans").with(user(users.loadUserByUsername(staff))))
                .andExpect(status().isOk()).andExpect(content().string(org.hamcrest.Matchers.containsString(code)));
    }

    @Test
    void aUnitRequestNamingAnUnknownPlanIsRefused() throws Exception {
        mvc.perform(post("/api/units").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"tenant\":\"nobody-needed\",\"kind\":\"JAIL\",\"diskSize\":\"256M\",\"domain\":\"x.example.com\","
                                + "\"ipv4\":\"10.231.99.40\",\"plan\":\"vm-basic\"}")
                        .with(httpBasic(staff, TestData.PASSWORD)))
                .andExpect(status().isBadRequest());
    }

    private static String planJson(String code, String price) {
        return """
                {"code":"%s","name":"Test","kind":"JAIL","disk":"1G","memoryMib":"64","vcpus":"1","backupQuota":"0",
                 "monthlyPrice":"%s"}""".formatted(code, price);
    }
}
