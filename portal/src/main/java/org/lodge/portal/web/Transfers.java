package org.lodge.portal.web;

import java.util.Locale;
import java.util.UUID;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.lodge.billing.Payments;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.TenantScope;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Records a bank transfer typed on a billing page (staff): for one invoice of the tenant when its
 * number is given, else for the tenant as a whole (oldest open invoice first, the rest credit).
 * Billing checks amount, date and reference; an unknown tenant or invoice is said so; nothing is
 * recorded when anything is wrong, and the refusals are said in the reader's language.
 */
@Component
public class Transfers {

    /** The transfer as typed. */
    public record TransferForm(String invoice, String amount, String paidOn, String reference) {
    }

    private final Payments payments;
    private final Invoices invoices;
    private final TenantService tenants;
    private final MessageSource messages;
    private final Texts texts;

    public Transfers(Payments payments, Invoices invoices, TenantService tenants, MessageSource messages, Texts texts) {
        this.payments = payments;
        this.invoices = invoices;
        this.tenants = tenants;
        this.messages = messages;
        this.texts = texts;
    }

    /** Records it and leaves a message (or the errors) for the page redirected to. */
    public void record(String tenantText, TransferForm form, String actor, RedirectAttributes redirect,
                       Locale locale) {
        try {
            UUID tenant = tenant(tenantText);
            String number = form.invoice() == null ? "" : form.invoice().strip();
            if (number.isEmpty()) {
                payments.receive(tenant, form.amount(), form.paidOn(), form.reference(), actor);
            } else {
                InvoiceView invoice = invoices.list(TenantScope.of(tenant)).stream()
                        .filter(i -> number.equals(i.number()) && !i.creditNote()).findFirst()
                        .orElseThrow(() -> InvalidRequestException.of("invoice",
                                "this tenant has no issued invoice with that number", "payment.invoice.unknown"));
                payments.record(invoice.id(), form.amount(), form.paidOn(), form.reference(), actor);
            }
            redirect.addFlashAttribute("message", messages.getMessage("billing.payments.recorded",
                    new Object[] {form.reference().strip(), form.amount().strip()}, locale));
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("paymentErrors", texts.errors(e));
            redirect.addFlashAttribute("transfer", form);
        }
    }

    private UUID tenant(String text) {
        try {
            UUID id = UUID.fromString(text == null ? "" : text.strip());
            tenants.tenant(id);
            return id;
        } catch (IllegalArgumentException | NotFoundException e) {
            throw InvalidRequestException.of("tenant", "there is no such tenant", "payment.tenant.unknown");
        }
    }
}
