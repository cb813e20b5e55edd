package org.lodge.portal.web;

import org.lodge.portal.i18n.Texts;
import java.time.LocalDate;
import java.util.UUID;
import org.lodge.billing.BillingRunResult;
import org.lodge.billing.Catalog;
import org.lodge.billing.Invoices;
import org.lodge.billing.NewPlan;
import org.lodge.billing.Subscriptions;
import org.lodge.portal.security.PortalUser;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.UnitKind;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Billing pages: plans and prices (staff), invoices (staff: all; customers: their own) with PDF download. */
@Controller
public class BillingController {

    private final Catalog catalog;
    private final Invoices invoices;
    private final Subscriptions subscriptions;

    private final Texts texts;

    public BillingController(Catalog catalog, Invoices invoices, Subscriptions subscriptions, Texts texts) {
        this.texts = texts;
        this.catalog = catalog;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
    }

    @GetMapping("/billing/plans")
    public String plans(Model model) {
        model.addAttribute("plans", catalog.plans());
        model.addAttribute("kinds", UnitKind.values());
        return "billing/plans";
    }

    @PostMapping("/billing/plans")
    public String createPlan(@RequestParam String code, @RequestParam String name, @RequestParam UnitKind kind,
                             @RequestParam String disk, @RequestParam String memoryMib, @RequestParam String vcpus,
                             @RequestParam String backupQuota, @RequestParam String monthlyPrice,
                             @RequestParam(required = false) String effectiveFrom,
                             @RequestParam(defaultValue = "false") boolean kindDefault, RedirectAttributes redirect) {
        return flash(redirect, "/billing/plans", () -> texts.get("flash.plan-added", catalog.create(new NewPlan(code, name, kind,
                disk, memoryMib, vcpus, backupQuota, monthlyPrice, effectiveFrom, kindDefault)).code()));
    }

    @PostMapping("/billing/plans/{code}/prices")
    public String changePrice(@PathVariable String code, @RequestParam String monthlyPrice,
                              @RequestParam(required = false) String effectiveFrom, RedirectAttributes redirect) {
        return flash(redirect, "/billing/plans", () -> {
            var price = catalog.changePrice(code, monthlyPrice, effectiveFrom);
            return texts.get("flash.price-set", code, String.valueOf(price.monthlyPrice()), price.effectiveFrom());
        });
    }

    @GetMapping("/billing/invoices")
    public String invoices(@AuthenticationPrincipal PortalUser user, Model model) {
        model.addAttribute("invoices", invoices.list(user.scope()));
        model.addAttribute("subscriptions", subscriptions.list(user.scope()));
        model.addAttribute("staff", user.isStaff());
        if (user.isStaff()) {
            model.addAttribute("revenue", invoices.revenue());
        }
        return "billing/invoices";
    }

    @GetMapping("/billing/invoices/{id}/pdf")
    public ResponseEntity<byte[]> pdf(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return InvoiceDownload.of(invoices.find(id, user.scope()), invoices.pdf(id, user.scope()));
    }

    @GetMapping(value = "/billing/invoices/{id}/fatturapa", produces = "application/xml")
    public ResponseEntity<byte[]> fatturaPa(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        var invoice = invoices.find(id, user.scope());
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_XML)
                .header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        org.springframework.http.ContentDisposition.attachment()
                                .filename("IT" + String.valueOf(invoice.number()).replace("/", "_") + ".xml").build()
                                .toString())
                .body(invoices.fatturaPa(id, user.scope()));
    }

    @PostMapping("/billing/invoices/{id}/issue")
    public String issue(@PathVariable UUID id, RedirectAttributes redirect) {
        return flash(redirect, "/billing/invoices", () -> texts.get("flash.invoice-issued", invoices.issue(id).number()));
    }

    @PostMapping("/billing/invoices/{id}/credit-note")
    public String creditNote(@PathVariable UUID id, RedirectAttributes redirect) {
        return flash(redirect, "/billing/invoices", () -> texts.get("flash.credit-note-issued",
                invoices.creditNote(id, null).number()));
    }

    @PostMapping("/billing/runs")
    public String run(@RequestParam(required = false) String day, RedirectAttributes redirect) {
        return flash(redirect, "/billing/invoices", () -> {
            BillingRunResult result = invoices.run(day == null || day.isBlank() ? null : parse(day));
            return texts.get("flash.billing-run", result.day(), result.invoices().size(), result.lines());
        });
    }

    private static LocalDate parse(String day) {
        try {
            return LocalDate.parse(day.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw InvalidRequestException.of("day", "a date like 2026-01-31", "day.format");
        }
    }

    private String flash(RedirectAttributes redirect, String to, java.util.function.Supplier<String> action) {
        try {
            redirect.addFlashAttribute("message", action.get());
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute("error", texts.summary(e));
        }
        return "redirect:" + to;
    }
}
