package org.lodge.billing.mail;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.lodge.billing.Money;
import org.lodge.billing.customer.CustomerStore;
import org.lodge.billing.invoice.InvoicePdf;
import org.lodge.billing.invoice.InvoiceStore;
import org.lodge.billing.invoice.PaymentStore;
import org.lodge.provisioning.MailReader;
import org.lodge.provisioning.MailReaders;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.thymeleaf.context.Context;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * Composes an outbox row into a letter from the Thymeleaf templates in {@code billing-mail/}
 * (one text and one HTML template per kind, their words {@code #{mail.billing...}} from the
 * bundles), addressed to the tenant's billing e-mail and written in its reader's language
 * ({@link MailReaders}: the person who gave that address, else the tenant's language, else English).
 */
@Component
class Letters {

    /** The outbox row being composed. */
    record Row(UUID id, UUID tenantId, MailKind kind, UUID invoiceId, UUID subscriptionId) {
    }

    /** The tenant has no billing e-mail address: the mail waits until staff add one. */
    static class NoRecipient extends RuntimeException {
        NoRecipient(UUID tenant) {
            super("tenant " + tenant + " has no billing e-mail address");
        }
    }

    private final SpringTemplateEngine text;
    private final SpringTemplateEngine html;
    private final MailReaders readers;
    private final InvoiceStore invoices;
    private final InvoicePdf pdf;
    private final PaymentStore payments;
    private final CustomerStore customers;
    private final JdbcClient jdbc;
    private final BillingProperties props;

    Letters(InvoiceStore invoices, InvoicePdf pdf, PaymentStore payments, CustomerStore customers, JdbcClient jdbc,
            BillingProperties props, MailReaders readers) {
        this.readers = readers;
        this.text = engine(TemplateMode.TEXT, ".txt", readers.messages());
        this.html = engine(TemplateMode.HTML, ".html", readers.messages());
        this.invoices = invoices;
        this.pdf = pdf;
        this.payments = payments;
        this.customers = customers;
        this.jdbc = jdbc;
        this.props = props;
    }

    Letter compose(Row row) {
        Optional<CustomerDetails> customer = customers.find(row.tenantId());
        String to = customer.map(CustomerDetails::billingEmail).orElseThrow(() -> new NoRecipient(row.tenantId()));
        MailReader reader = readers.of(to, row.tenantId());
        Map<String, Object> vars = new HashMap<>();
        vars.put("kind", row.kind().name());
        vars.put("seller", props.seller().split("\\|")[0].strip());
        vars.put("customer", customer.get().legalName());
        InvoiceView invoice = row.invoiceId() == null ? null
                : invoices.find(row.invoiceId(), Optional.empty()).orElseThrow();
        if (invoice != null) {
            vars.put("invoice", invoice);
            vars.put("outstanding", invoice.gross().minus(payments.paid(invoice.id())));
            vars.put("issued", reader.day(invoice.issueDate()));
            vars.put("due", reader.day(invoice.dueDate()));
        }
        if (row.subscriptionId() != null) {
            vars.put("unit", jdbc.sql("select unit_label from billing_subscription where id = :id")
                    .param("id", row.subscriptionId()).query(String.class).single());
        }
        Context context = new Context(reader.locale());
        context.setVariables(vars);
        String template = row.kind().template();
        String subject = subject(reader, row.kind(), vars);
        if (row.kind() == MailKind.INVOICE_ISSUED) {
            return new Letter(to, subject, text.process(template, context), html.process(template, context),
                    Invoices.fileName(invoice), pdf.render(invoice, customer.get()));
        }
        return new Letter(to, subject, text.process(template, context), html.process(template, context), null, null);
    }

    private String subject(MailReader reader, MailKind kind, Map<String, Object> vars) {
        String number = ((InvoiceView) vars.get("invoice")).number();
        Object unit = vars.get("unit");
        return switch (kind) {
            case INVOICE_ISSUED -> readers.text(reader, "mail.billing.invoice.subject", number,
                    String.valueOf((Money) vars.get("outstanding")));
            case REMINDER_1 -> readers.text(reader, "mail.billing.reminder.subject", number);
            case REMINDER_2 -> readers.text(reader, "mail.billing.reminder2.subject", number);
            case SUSPENDED -> readers.text(reader, "mail.billing.suspended.subject", unit, number);
            case UNSUSPENDED -> readers.text(reader, "mail.billing.unsuspended.subject", unit);
            case TERMINATED -> readers.text(reader, "mail.billing.terminated.subject", unit, number);
        };
    }

    /** Its own engine (SpEL, like the pages'), so the web templates' resolver never sees the mail ones. */
    private static SpringTemplateEngine engine(TemplateMode mode, String suffix, MessageSource messages) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("billing-mail/");
        resolver.setSuffix(suffix);
        resolver.setTemplateMode(mode);
        resolver.setCharacterEncoding("UTF-8");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        engine.setTemplateEngineMessageSource(messages);
        return engine;
    }
}
