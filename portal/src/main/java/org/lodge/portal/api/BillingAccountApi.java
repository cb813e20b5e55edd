package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.lodge.billing.Payments;
import org.lodge.billing.ReceiptEntry;
import org.lodge.billing.Subscriptions;
import org.lodge.billing.TenantBalance;
import org.lodge.billing.UsageView;
import org.lodge.portal.security.PortalUser;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A tenant's account over HTTP: usage this month, receipts with their allocation, balances and
 * credit notes. Customers see their own tenant's only (another tenant's answers 404); every
 * tenant's balances are for staff.
 */
@RestController
@RequestMapping("/api/billing")
@Tag(name = "billing")
public class BillingAccountApi {

    private final Subscriptions subscriptions;
    private final Payments payments;
    private final Invoices invoices;

    public BillingAccountApi(Subscriptions subscriptions, Payments payments, Invoices invoices) {
        this.subscriptions = subscriptions;
        this.payments = payments;
        this.invoices = invoices;
    }

    @Operation(summary = "Usage of the running month so far per unit (hours metered, backup GiB-months, beyond the quota) "
            + "and what the month would come to at today's prices, net (staff: every tenant's; customers: their own).")
    @GetMapping("/usage")
    public List<UsageView> usage(@AuthenticationPrincipal PortalUser user) {
        return subscriptions.usage(user.scope());
    }

    @Operation(summary = "One tenant's usage this month (staff, or the tenant's customers).")
    @GetMapping("/customers/{tenantId}/usage")
    public List<UsageView> usageOf(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId) {
        return subscriptions.usageOf(tenantId, user.scope());
    }

    @Operation(summary = "Receipts (transfers, provider payments, credits of negative invoices and credit notes), newest "
            + "first, with the invoices each paid and the credit left (staff: every tenant's; customers: their own).")
    @GetMapping("/receipts")
    public List<ReceiptEntry> receipts(@AuthenticationPrincipal PortalUser user) {
        return payments.receipts(user.scope());
    }

    @Operation(summary = "One tenant's receipts (staff, or the tenant's customers).")
    @GetMapping("/customers/{tenantId}/receipts")
    public List<ReceiptEntry> receiptsOf(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId) {
        return payments.receiptsOf(tenantId, user.scope());
    }

    @Operation(summary = "One tenant's account: what its issued invoices still owe and its credit (staff, or the tenant's customers).")
    @GetMapping("/customers/{tenantId}/account")
    public TenantBalance account(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId) {
        return payments.balance(tenantId, user.scope());
    }

    @Operation(summary = "Every tenant's outstanding and credit (staff).")
    @GetMapping("/balances")
    public List<TenantBalance> balances() {
        return payments.balances();
    }

    @Operation(summary = "Credit notes (TD04) with the invoice each corrects (staff: all; customers: their tenant's).")
    @GetMapping("/credit-notes")
    public List<InvoiceView> creditNotes(@AuthenticationPrincipal PortalUser user) {
        return invoices.creditNotes(user.scope());
    }
}
