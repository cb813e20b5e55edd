package org.lodge.billing.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.Customers;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Payments;
import org.lodge.billing.catalog.PlanStore;
import org.lodge.billing.invoice.BillingRunner;
import org.lodge.billing.invoice.Dunning;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.subscription.SubscriptionStore;
import org.lodge.portal.tenant.TenantEntity;
import org.lodge.support.AsStaff;
import org.lodge.support.TestData;
import org.lodge.support.TestSmtp;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Billing e-mail through a real SMTP server (GreenMail, in this JVM): the issued invoice with its
 * PDF, the reminders, the suspension and its lifting, each once however often the runs repeat;
 * mail that cannot be sent (SMTP down, no address yet) waits in the outbox and goes out later.
 */
@SpringBootTest(properties = {"lodge.roles=portal", "lodge.billing.mail.send-interval=300ms",
        "lodge.billing.mail.retry-after=1s", "lodge.billing.mail.from=billing@lodge.test"})
@ActiveProfiles("test")
class BillingMailTest {

    private static final int PORT = TestSmtp.freePort();
    private static final Duration ARRIVAL = Duration.ofSeconds(15);

    @RegisterExtension
    static GreenMailExtension smtp = TestSmtp.on(PORT).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        TestSmtp.sendTo(registry, PORT);
    }

    @Autowired
    TestData data;
    @Autowired
    Customers customers;
    @Autowired
    PlanStore plans;
    @Autowired
    SubscriptionStore subscriptions;
    @Autowired
    BillingRunner runner;
    @Autowired
    InvoiceStore invoices;
    @Autowired
    Dunning dunning;
    @Autowired
    Payments payments;
    @Autowired
    MailDispatch dispatch;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anIssuedInvoiceIsMailedOnceWithItsPdf() throws Exception {
        String to = "accounts-" + UUID.randomUUID().toString().substring(0, 8) + "@rossi.example.com";
        TenantEntity tenant = customerWithEmail("mailed", to);
        InvoiceView invoice = issuedInvoice(tenant, "2026-03-05");
        runner.run(LocalDate.parse("2026-03-05"));

        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 1);
        MimeMessage mail = mailsTo(to).get(0);
        assertThat(mail.getSubject()).isEqualTo("Invoice " + invoice.number() + " (6.10 EUR)");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("billing@lodge.test");
        Part pdf = attachment(mail).orElseThrow();
        assertThat(pdf.getFileName()).isEqualTo("invoice-" + invoice.number().replace('/', '-') + ".pdf");
        assertThat(pdf.getContentType()).startsWith("application/pdf");
        try (InputStream in = pdf.getInputStream(); PDDocument doc = Loader.loadPDF(in.readAllBytes())) {
            assertThat(new PDFTextStripper().getText(doc)).contains(invoice.number(), "Rossi Web S.r.l.", "6.10");
        }
        assertThat(body(mail)).contains("due on " + DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM)
                .withLocale(Locale.ENGLISH).format(invoice.dueDate()));

        dispatch.sendPending();
        Thread.sleep(1000);
        assertThat(mailsTo(to)).as("sent once, however often the outbox is looked at").hasSize(1);
    }

    /** The person who gave the billing address on their account page chose Italian: the letter is Italian. */
    @Test
    void anItalianReaderGetsTheInvoiceInItalian() throws Exception {
        String to = "conti-" + UUID.randomUUID().toString().substring(0, 8) + "@rossi.example.com";
        TenantEntity tenant = customerWithEmail("italian", to);
        jdbc.sql("update app_user set language = 'it', email = :to where username = :u")
                .param("to", to).param("u", data.customer(tenant)).update();
        InvoiceView invoice = issuedInvoice(tenant, "2026-03-05");

        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 1);
        MimeMessage mail = mailsTo(to).get(0);
        assertThat(mail.getSubject()).isEqualTo("Fattura " + invoice.number() + " (6.10 EUR)");
        assertThat(body(mail)).contains("Gentile Rossi Web S.r.l.", "in allegato la fattura " + invoice.number()
                + " del 5 mar 2026", "Cordiali saluti").doesNotContain("Dear");
    }

    @Test
    void remindersSuspensionAndLiftingAreMailedOnceEach() throws Exception {
        String to = "late-" + UUID.randomUUID().toString().substring(0, 8) + "@rossi.example.com";
        TenantEntity tenant = customerWithEmail("late", to);
        InvoiceView invoice = issuedInvoice(tenant, "2026-04-07");
        LocalDate due = invoice.dueDate();
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 1);

        dunning.run(due.plusDays(2));
        dunning.run(due.plusDays(3));
        dunning.run(due.plusDays(4));
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 2);
        dunning.run(due.plusDays(10));
        dunning.run(due.plusDays(11));
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 3);
        dunning.run(due.plusDays(16));
        dunning.run(due.plusDays(17));
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 4);
        AsStaff.run(() -> payments.record(invoice.id(), "6.10", due.plusDays(18).toString(), "TRN-" + invoice.id(),
                "staff"));
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 5);
        dunning.run(due.plusDays(50));
        dispatch.sendPending();

        List<String> subjects = mailsTo(to).stream().map(BillingMailTest::subject).toList();
        assertThat(subjects).containsExactly(
                "Invoice " + invoice.number() + " (6.10 EUR)",
                "Reminder: invoice " + invoice.number() + " is past due",
                "Second reminder: invoice " + invoice.number() + " is past due",
                "late.example.com is suspended: invoice " + invoice.number() + " unpaid",
                "late.example.com runs again: payment received");
        assertThat(body(mailsTo(to).get(2))).contains("second reminder", "6.10 EUR of it are still unpaid");
        assertThat(body(mailsTo(to).get(3))).contains("late.example.com is suspended");
    }

    @Test
    void mailThatCannotBeSentWaitsInTheOutboxAndGoesOutLater() throws Exception {
        TenantEntity tenant = data.tenant("nomail");
        AsStaff.run(() -> customers.save(tenant.getId(), details(null)));
        InvoiceView invoice = issuedInvoice(tenant, "2026-05-09");
        await().atMost(ARRIVAL).until(() -> lastError(invoice) != null);
        assertThat(lastError(invoice)).contains("no billing e-mail address");

        String to = "found-" + UUID.randomUUID().toString().substring(0, 8) + "@rossi.example.com";
        smtp.stop();
        try {
            AsStaff.run(() -> customers.save(tenant.getId(), details(to)));
            await().atMost(ARRIVAL).until(() -> lastError(invoice) != null && !lastError(invoice).contains("no billing"));
        } finally {
            smtp.start();
        }
        await().atMost(ARRIVAL).until(() -> mailsTo(to).size() == 1);
        assertThat(subject(mailsTo(to).get(0))).isEqualTo("Invoice " + invoice.number() + " (6.10 EUR)");
        // Both refusals were seen above (no address, then the server down); the count only has to show
        // that the sent mail was not its first attempt (the dispatcher's timing decides how many more).
        assertThat(jdbc.sql("select attempts from billing_mail where invoice_id = :id").param("id", invoice.id())
                .query(Integer.class).single()).isGreaterThanOrEqualTo(2);
    }

    private TenantEntity customerWithEmail(String prefix, String to) {
        TenantEntity tenant = data.tenant(prefix);
        AsStaff.run(() -> customers.save(tenant.getId(), details(to)));
        return tenant;
    }

    private static CustomerDetails details(String email) {
        return new CustomerDetails("Rossi Web S.r.l.", "IT", "01234567890", null, "Via Roma 10", "20121", "Milano",
                "MI", "ABC1234", null, email);
    }

    private InvoiceView issuedInvoice(TenantEntity tenant, String day) {
        UUID plan = plans.byCode("jail-basic", LocalDate.parse(day)).orElseThrow().id();
        subscriptions.start(tenant.getId(), UUID.randomUUID(), tenant.getName() .replaceAll("-.*", "") + ".example.com",
                plan, LocalDate.parse(day), 1L << 30);
        runner.run(LocalDate.parse(day));
        return invoices.list(Optional.of(tenant.getId())).get(0);
    }

    private String lastError(InvoiceView invoice) {
        return jdbc.sql("select last_error from billing_mail where invoice_id = :id and kind = 'INVOICE_ISSUED'")
                .param("id", invoice.id()).query((rs, n) -> Optional.ofNullable(rs.getString(1))).single().orElse(null);
    }

    private static List<MimeMessage> mailsTo(String to) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> recipient(m).equals(to)).toList();
    }

    private static String recipient(MimeMessage m) {
        try {
            return m.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text alternative (and the HTML one) of a mail, as one string. */
    private static String body(Part part) throws Exception {
        if (part.getContent() instanceof Multipart multi) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multi.getCount(); i++) {
                BodyPart child = multi.getBodyPart(i);
                if (!Part.ATTACHMENT.equalsIgnoreCase(child.getDisposition())) {
                    text.append(body(child));
                }
            }
            return text.toString();
        }
        return part.getContent() instanceof String s ? s : "";
    }

    private static Optional<Part> attachment(Part part) throws Exception {
        if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return Optional.of(part);
        }
        if (part.getContent() instanceof Multipart multi) {
            for (int i = 0; i < multi.getCount(); i++) {
                Optional<Part> found = attachment(multi.getBodyPart(i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

}
