package org.lodge.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.invoice.Dunning;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.invoice.PaymentStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.PortalOnlyTest;
import org.lodge.support.TestData;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The payment provider's signed notifications over HTTP, and the allocation they share with
 * staff's transfers: oldest invoice first, the rest kept as credit that the next invoice
 * consumes; a replay changes nothing and answers the same; a bad or missing signature, an unknown
 * invoice or customer are refused and change nothing.
 */
@PortalOnlyTest
@AutoConfigureMockMvc
class PaymentNotificationTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    TestData data;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    PaymentStore payments;
    @Autowired
    Dunning dunning;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ObjectMapper json;
    @Value("${lodge.billing.provider.hmac-key}")
    String key;

    TenantEntity tenant;
    InvoiceView january;
    InvoiceView february;

    @BeforeEach
    void twoInvoices() {
        tenant = data.tenant("payer");
        UUID plan = plans.byCode("jail-basic", LocalDate.parse("2026-01-05")).orElseThrow().id();
        subscriptions.start(tenant.getId(), UUID.randomUUID(), "paid.example.com", plan, LocalDate.parse("2026-01-05"),
                1L << 30);
        runner.run(LocalDate.parse("2026-01-05"));
        runner.run(LocalDate.parse("2026-02-05"));
        List<InvoiceView> two = invoices.list(Optional.of(tenant.getId()));
        january = two.stream().filter(i -> i.issueDate().getMonthValue() == 1).findFirst().orElseThrow();
        february = two.stream().filter(i -> i.issueDate().getMonthValue() == 2).findFirst().orElseThrow();
    }

    @Test
    void aSignedNotificationPaysOldestFirstAndTheCreditPaysTheNextInvoice() throws Exception {
        String tx = "tx-" + UUID.randomUUID();
        String body = notification(tx, "15.00", "\"invoiceNumber\":\"" + february.number() + "\"");
        String first = notify(body, sign(body)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        ReceiptView receipt = json.readValue(first, ReceiptView.class);
        assertThat(receipt.allocations()).extracting(PaymentView::invoiceId).containsExactly(january.id(), february.id());
        assertThat(receipt.allocations()).extracting(PaymentView::amount)
                .containsExactly(Money.of("6.10"), Money.of("6.10"));
        assertThat(receipt.unallocated()).isEqualTo(Money.of("2.80"));
        assertThat(receipt.reference()).isEqualTo(tx);
        String replay = notify(body, sign(body)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(replay).as("a replay answers the same").isEqualTo(first);
        assertThat(receipts()).as("and records nothing").isEqualTo(1);
        assertThat(payments.paid(january.id())).isEqualTo(Money.of("6.10"));
        assertThat(payments.paid(february.id())).isEqualTo(Money.of("6.10"));

        String other = notification(tx, "99.00", "\"invoiceNumber\":\"" + february.number() + "\"");
        notify(other, sign(other)).andExpect(status().isConflict());
        assertThat(receipts()).isEqualTo(1);

        String staff = data.staff();
        assertThat(credit(staff)).isEqualTo(Money.of("2.80"));
        runner.run(LocalDate.parse("2026-03-05"));
        InvoiceView march = invoices.list(Optional.of(tenant.getId())).stream()
                .filter(i -> i.issueDate().getMonthValue() == 3).findFirst().orElseThrow();
        dunning.run(LocalDate.parse("2026-03-05"));
        assertThat(payments.paid(march.id())).as("the credit pays the next invoice").isEqualTo(Money.of("2.80"));
        assertThat(credit(staff)).isEqualTo(Money.ZERO);
    }

    @Test
    void aBadOrMissingSignatureIsRefusedAndChangesNothing() throws Exception {
        String body = notification("tx-" + UUID.randomUUID(), "6.10", "\"tenantId\":\"" + tenant.getId() + "\"");
        notify(body, null).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("missing signature")));
        notify(body, "sha256=" + "00".repeat(32)).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("the signature does not match the body"));
        String tampered = body.replace("6.10", "600.10");
        notify(tampered, sign(body)).andExpect(status().isUnauthorized());
        notify(body, "sha256=not-hex").andExpect(status().isUnauthorized());
        assertThat(receipts()).isZero();
        assertThat(payments.paid(january.id())).isEqualTo(Money.ZERO);
    }

    @Test
    void anUnknownInvoiceOrCustomerIsRefusedWithTheReason() throws Exception {
        String unknownInvoice = notification("tx-" + UUID.randomUUID(), "6.10", "\"invoiceNumber\":\"1999/000001\"");
        notify(unknownInvoice, sign(unknownInvoice)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.invoiceNumber").value("no issued invoice is numbered '1999/000001'"));
        UUID nobody = UUID.randomUUID();
        String unknownTenant = notification("tx-" + UUID.randomUUID(), "6.10", "\"tenantId\":\"" + nobody + "\"");
        notify(unknownTenant, sign(unknownTenant)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.tenantId").value("no customer has the id " + nobody));
        String negative = notification("tx-" + UUID.randomUUID(), "-1.00", "\"tenantId\":\"" + tenant.getId() + "\"");
        notify(negative, sign(negative)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors.amount").exists());
        assertThat(receipts()).isZero();
    }

    @Test
    void staffTransfersForATenantUseTheSameAllocationAndCustomersCannotRecordThem() throws Exception {
        String customer = data.customer(tenant);
        String transfer = "{\"amount\":\"8.00\",\"reference\":\"BANK-" + UUID.randomUUID() + "\"}";
        mvc.perform(post("/api/billing/customers/" + tenant.getId() + "/payments").contentType(MediaType.APPLICATION_JSON)
                .content(transfer).with(httpBasic(customer, TestData.PASSWORD))).andExpect(status().isForbidden());
        ReceiptView receipt = json.readValue(mvc.perform(post("/api/billing/customers/" + tenant.getId() + "/payments")
                        .contentType(MediaType.APPLICATION_JSON).content(transfer)
                        .with(httpBasic(data.staff(), TestData.PASSWORD)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), ReceiptView.class);
        assertThat(receipt.allocations()).hasSize(2);
        assertThat(receipt.unallocated()).isEqualTo(Money.ZERO);
        assertThat(payments.paid(january.id())).isEqualTo(Money.of("6.10"));
        assertThat(payments.paid(february.id())).isEqualTo(Money.of("1.90"));
        assertThat(credit(customer)).isEqualTo(Money.ZERO);
        mvc.perform(get("/api/billing/customers/" + tenant.getId() + "/balance")
                .with(httpBasic(data.customer(data.tenant("other")), TestData.PASSWORD))).andExpect(status().isNotFound());
    }

    private ResultActions notify(String body, String signature) throws Exception {
        var request = post("/api/billing/payment-notifications").contentType(MediaType.APPLICATION_JSON)
                .content(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("X-Lodge-Signature", signature);
        }
        return mvc.perform(request);
    }

    private static String notification(String tx, String amount, String payer) {
        return "{\"transactionId\":\"" + tx + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\","
                + "\"paidOn\":\"2026-02-20\"," + payer + "}";
    }

    private String sign(String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private Money credit(String user) throws Exception {
        String answer = mvc.perform(get("/api/billing/customers/" + tenant.getId() + "/balance")
                        .with(httpBasic(user, TestData.PASSWORD)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return json.readValue(json.readTree(answer).get("credit").toString(), Money.class);
    }

    private int receipts() {
        return jdbc.sql("select count(*) from billing_receipt where tenant_id = :t").param("t", tenant.getId())
                .query(Integer.class).single();
    }
}
