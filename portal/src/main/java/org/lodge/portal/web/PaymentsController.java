package org.lodge.portal.web;

import java.util.Locale;
import org.lodge.billing.Invoices;
import org.lodge.billing.Payments;
import org.lodge.portal.security.PortalUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Staff's payments page (every receipt and its allocation, balances, a transfer form) and the credit notes list. */
@Controller
public class PaymentsController {

    private final Payments payments;
    private final Invoices invoices;
    private final Transfers transfers;

    public PaymentsController(Payments payments, Invoices invoices, Transfers transfers) {
        this.payments = payments;
        this.invoices = invoices;
        this.transfers = transfers;
    }

    @GetMapping("/billing/payments")
    public String payments(@AuthenticationPrincipal PortalUser user, Model model) {
        model.addAttribute("balances", payments.balances());
        model.addAttribute("receipts", payments.receipts(user.scope()));
        return "billing/payments";
    }

    @PostMapping("/billing/payments")
    public String record(@AuthenticationPrincipal PortalUser user, @RequestParam(required = false) String tenantId,
                         @ModelAttribute Transfers.TransferForm form, RedirectAttributes redirect, Locale locale) {
        transfers.record(tenantId, form, user.getUsername(), redirect, locale);
        redirect.addFlashAttribute("chosenTenant", tenantId);
        return "redirect:/billing/payments";
    }

    /** Credit notes: staff see all, customers their tenant's. */
    @GetMapping("/billing/credit-notes")
    public String creditNotes(@AuthenticationPrincipal PortalUser user, Model model) {
        model.addAttribute("notes", invoices.creditNotes(user.scope()));
        model.addAttribute("staff", user.isStaff());
        return "billing/credit-notes";
    }
}
