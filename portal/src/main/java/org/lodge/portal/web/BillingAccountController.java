package org.lodge.portal.web;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import java.util.UUID;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.Customers;
import org.lodge.billing.Invoices;
import org.lodge.billing.Payments;
import org.lodge.billing.Subscriptions;
import org.lodge.portal.i18n.Texts;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.InvalidRequestException;
import org.springframework.context.MessageSource;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A tenant's billing page: its billing details (staff edit them), its balance, its units' plans and
 * usage this month, its invoices and its payments. Customers see only their own tenant's (another
 * tenant's answers 404, like a missing one); staff see the list of every tenant's account.
 */
@Controller
public class BillingAccountController {

    /** The billing details form, as typed (checked by billing's {@code CustomerChecks}, not here). */
    public record DetailsForm(String legalName, String country, String vatNumber, String fiscalCode, String address,
                              String postcode, String city, String province, String sdiCode, String pec,
                              String billingEmail) {

        static DetailsForm of(CustomerDetails d) {
            return new DetailsForm(d.legalName(), d.country(), d.vatNumber(), d.fiscalCode(), d.address(),
                    d.postcode(), d.city(), d.province(), d.sdiCode(), d.pec(), d.billingEmail());
        }

        /** Field name to value, in the form's order (the template looks values up by name). */
        java.util.Map<String, String> values() {
            java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
            String[] all = {legalName, country, vatNumber, fiscalCode, address, postcode, city, province, sdiCode, pec,
                    billingEmail};
            for (int i = 0; i < all.length; i++) {
                values.put(FIELDS.get(i), all[i]);
            }
            return values;
        }

        CustomerDetails details() {
            return new CustomerDetails(legalName, country, vatNumber, fiscalCode, address, postcode, city, province,
                    sdiCode, pec, billingEmail);
        }
    }

    private final Customers customers;
    private final Payments payments;
    private final Subscriptions subscriptions;
    private final Invoices invoices;
    private final TenantService tenants;
    private final Transfers transfers;
    private final MessageSource messages;
    private final Texts texts;

    public BillingAccountController(Customers customers, Payments payments, Subscriptions subscriptions,
                                    Invoices invoices, TenantService tenants, Transfers transfers,
                                    MessageSource messages, Texts texts) {
        this.texts = texts;
        this.customers = customers;
        this.payments = payments;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.tenants = tenants;
        this.transfers = transfers;
        this.messages = messages;
    }

    /** "Billing" in the navigation: a customer's own tenant, staff's list of tenants. */
    @GetMapping("/billing/account")
    public String account(@AuthenticationPrincipal PortalUser user) {
        return user.isStaff() ? "redirect:/billing/customers"
                : "redirect:/billing/customers/" + user.scope().tenantId().orElseThrow();
    }

    @GetMapping("/billing/customers")
    public String customers(Model model) {
        model.addAttribute("balances", payments.balances());
        return "billing/customers";
    }

    @GetMapping("/billing/customers/{tenantId}")
    public String customer(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId, Model model) {
        var details = customers.find(tenantId, user.scope());
        fill(model, user, tenantId);
        form(model, details.orElse(null), details.map(DetailsForm::of).orElse(null));
        return "billing/customer";
    }

    @PostMapping("/billing/customers/{tenantId}/details")
    public String saveDetails(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId,
                              @ModelAttribute DetailsForm form, Model model, HttpServletResponse response,
                              RedirectAttributes redirect, Locale locale) {
        tenants.tenant(tenantId);
        try {
            customers.save(tenantId, form.details());
        } catch (InvalidRequestException e) {
            // The page again, with what was typed and every bad field named: nothing was saved.
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            fill(model, user, tenantId);
            form(model, customers.find(tenantId, user.scope()).orElse(null), form);
            model.addAttribute("detailErrors", texts.errors(e));
            return "billing/customer";
        }
        redirect.addFlashAttribute("message", messages.getMessage("billing.details.saved", null, locale));
        return "redirect:/billing/customers/" + tenantId;
    }

    @PostMapping("/billing/customers/{tenantId}/payments")
    public String recordTransfer(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId,
                                 @ModelAttribute Transfers.TransferForm form, RedirectAttributes redirect,
                                 Locale locale) {
        transfers.record(tenantId.toString(), form, user.getUsername(), redirect, locale);
        return "redirect:/billing/customers/" + tenantId;
    }

    private static void form(Model model, CustomerDetails details, DetailsForm form) {
        model.addAttribute("details", details);
        model.addAttribute("detailValues", details == null ? java.util.Map.of() : DetailsForm.of(details).values());
        model.addAttribute("formValues", form == null ? java.util.Map.of() : form.values());
    }

    private void fill(Model model, PortalUser user, UUID tenantId) {
        var scope = org.lodge.provisioning.TenantScope.of(tenantId);
        model.addAttribute("tenantId", tenantId);
        model.addAttribute("tenantName", tenants.tenant(tenantId).getName());
        model.addAttribute("staff", user.isStaff());
        model.addAttribute("balance", payments.balance(tenantId, user.scope()));
        model.addAttribute("usage", subscriptions.usageOf(tenantId, user.scope()));
        model.addAttribute("invoices", invoices.list(scope));
        model.addAttribute("receipts", payments.receiptsOf(tenantId, user.scope()));
        model.addAttribute("fields", FIELDS);
    }

    /** The form's fields, in order; their labels and hints are in the billing bundle. */
    static final java.util.List<String> FIELDS = java.util.List.of("legalName", "country", "vatNumber", "fiscalCode",
            "address", "postcode", "city", "province", "sdiCode", "pec", "billingEmail");
}
