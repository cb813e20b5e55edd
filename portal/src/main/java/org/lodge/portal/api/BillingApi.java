package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.BillingRunResult;
import org.lodge.billing.Catalog;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.Customers;
import org.lodge.billing.PaymentView;
import org.lodge.billing.Payments;
import org.lodge.portal.tenant.TenantService;
import org.lodge.provisioning.NotFoundException;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PutMapping;
import org.lodge.billing.InvoiceView;
import org.lodge.billing.Invoices;
import org.lodge.billing.NewPlan;
import org.lodge.billing.PlanView;
import org.lodge.billing.PriceView;
import org.lodge.billing.SubscriptionView;
import org.lodge.billing.Subscriptions;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.web.InvoiceDownload;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Billing over HTTP: the catalog (staff change it), subscriptions and invoices (customers: their tenant's only). */
@RestController
@RequestMapping("/api/billing")
@Tag(name = "billing")
public class BillingApi {

    /** A bank transfer received for an invoice ({@code paidOn} empty: today). */
    public record NewPayment(String amount, String paidOn, String reference) {
    }

    /** The plan to move a unit's subscription to. */
    /** The lines of the invoice to credit; none (or no body): every line not credited yet. */
    public record CreditNoteRequest(java.util.List<Long> lines) {
    }

    public record PlanChange(String plan) {
    }

    /** A new monthly price from a day on ({@code effectiveFrom} empty: today). */
    public record NewPrice(String monthlyPrice, String effectiveFrom) {
    }

    private final Catalog catalog;
    private final Invoices invoices;
    private final Subscriptions subscriptions;
    private final Customers customers;
    private final TenantService tenants;
    private final Payments payments;

    public BillingApi(Catalog catalog, Invoices invoices, Subscriptions subscriptions, Customers customers,
                      TenantService tenants, Payments payments) {
        this.payments = payments;
        this.catalog = catalog;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.tenants = tenants;
    }

    @Operation(summary = "The plans with their current monthly price.")
    @GetMapping("/plans")
    public List<PlanView> plans() {
        return catalog.plans();
    }

    @Operation(summary = "Add a plan (staff): code, name, kind, disk (\"1G\"), memoryMib, vcpus, backupQuota (\"0\" or a size), monthlyPrice (\"9.90\" EUR), effectiveFrom.")
    @PostMapping("/plans")
    public ResponseEntity<PlanView> createPlan(@RequestBody NewPlan body) {
        PlanView plan = catalog.create(body);
        return ResponseEntity.created(URI.create("/api/billing/plans/" + plan.code())).body(plan);
    }

    @GetMapping("/plans/{code}")
    public PlanView plan(@PathVariable String code) {
        return catalog.plan(code);
    }

    @Operation(summary = "A plan's prices, each in force from its date until the next.")
    @GetMapping("/plans/{code}/prices")
    public List<PriceView> prices(@PathVariable String code) {
        return catalog.prices(code);
    }

    @Operation(summary = "Set a plan's monthly price from a day on, today or later (staff); billed periods keep their amounts.")
    @PostMapping("/plans/{code}/prices")
    public PriceView changePrice(@PathVariable String code, @RequestBody NewPrice body) {
        return catalog.changePrice(code, body.monthlyPrice(), body.effectiveFrom());
    }

    @Operation(summary = "Subscriptions (one per unit) the caller may see.")
    @GetMapping("/subscriptions")
    public List<SubscriptionView> subscriptions(@AuthenticationPrincipal PortalUser user) {
        return subscriptions.list(user.scope());
    }

    @Operation(summary = "A unit's subscription.")
    @GetMapping("/subscriptions/{unitId}")
    public SubscriptionView subscription(@AuthenticationPrincipal PortalUser user, @PathVariable UUID unitId) {
        return subscriptions.ofUnit(unitId, user.scope());
    }

    @Operation(summary = "Move a unit to another plan of its kind from today (staff); prorated by day at the next billing run. A plan with a smaller disk than the unit's is refused.")
    @PostMapping("/subscriptions/{unitId}/plan")
    public SubscriptionView changePlan(@AuthenticationPrincipal PortalUser user, @PathVariable UUID unitId,
                                       @RequestBody PlanChange body) {
        return subscriptions.changePlan(unitId, body.plan(), user.getUsername());
    }

    @Operation(summary = "Invoices the caller may see (staff: all; customers: their tenant's).")
    @GetMapping("/invoices")
    public List<InvoiceView> invoices(@AuthenticationPrincipal PortalUser user) {
        return invoices.list(user.scope());
    }

    @GetMapping("/invoices/{id}")
    public InvoiceView invoice(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return invoices.find(id, user.scope());
    }

    @Operation(summary = "The invoice as PDF.")
    @GetMapping(value = "/invoices/{id}/pdf", produces = "application/pdf")
    public ResponseEntity<byte[]> pdf(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return InvoiceDownload.of(invoices.find(id, user.scope()), invoices.pdf(id, user.scope()));
    }

    @Operation(summary = "An issued invoice of an Italian customer as FatturaPA XML (FPR12, schema 1.2.2), validated against the official XSD.")
    @GetMapping(value = "/invoices/{id}/fatturapa", produces = "application/xml")
    public ResponseEntity<byte[]> fatturaPa(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        InvoiceView invoice = invoices.find(id, user.scope());
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_XML)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("IT" + invoice.number().replace("/", "_") + ".xml").build().toString())
                .body(invoices.fatturaPa(id, user.scope()));
    }

    @Operation(summary = "A tenant's billing details (staff; customers: their own tenant's). 404 when none are kept.")
    @GetMapping("/customers/{tenantId}")
    public CustomerDetails customer(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId) {
        return customers.find(tenantId, user.scope()).orElseThrow(() -> NotFoundException.of("billing-details"));
    }

    @Operation(summary = "Set a tenant's billing details (staff): legal name, country, VAT number or fiscal code, address; for Italy the SDI code or PEC.")
    @PutMapping("/customers/{tenantId}")
    public CustomerDetails saveCustomer(@PathVariable UUID tenantId, @RequestBody CustomerDetails body) {
        tenants.tenant(tenantId);
        return customers.save(tenantId, body);
    }

    @Operation(summary = "Payments received for an invoice.")
    @GetMapping("/invoices/{id}/payments")
    public List<PaymentView> payments(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id) {
        return payments.of(id, user.scope());
    }

    @Operation(summary = "Record a payment (staff): amount in EUR up to what is outstanding, a unique reference; lifts the suspensions it settles.")
    @PostMapping("/invoices/{id}/payments")
    public ResponseEntity<PaymentView> pay(@AuthenticationPrincipal PortalUser user, @PathVariable UUID id,
                                           @RequestBody NewPayment body) {
        return ResponseEntity.status(201).body(payments.record(id, body.amount(), body.paidOn(), body.reference(),
                user.getUsername()));
    }

    @Operation(summary = "Run dunning now for a day (staff; default today): suspends the units of subscriptions overdue past lodge.billing.suspend-after-days, lifts paid ones. Returns [suspended, lifted].")
    @PostMapping("/dunning-runs")
    public int[] dunning(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day) {
        return payments.dunning(day);
    }

    @Operation(summary = "Issue a draft (staff): it gets the next fiscal number and never changes again.")
    @PostMapping("/invoices/{id}/issue")
    public InvoiceView issue(@PathVariable UUID id) {
        return invoices.issue(id);
    }

    @Operation(summary = "Correct an issued invoice with a credit note (staff; FatturaPA TD04, its own gapless series NC/year/sequence), crediting the named lines or all not credited yet.")
    @PostMapping("/invoices/{id}/credit-notes")
    public ResponseEntity<InvoiceView> creditNote(@PathVariable UUID id,
                                                  @RequestBody(required = false) CreditNoteRequest body) {
        return ResponseEntity.status(201).body(invoices.creditNote(id, body == null ? null : body.lines()));
    }

    @Operation(summary = "Revenue per month of issue (staff): net and gross of issued invoices less credit notes, the last 24 months with any.")
    @GetMapping("/revenue")
    public java.util.List<org.lodge.billing.MonthRevenue> revenue() {
        return invoices.revenue();
    }

    @Operation(summary = "Run billing now for a day (staff; default today): bills what is due and not billed yet, so it is safe to repeat.")
    @PostMapping("/runs")
    public BillingRunResult run(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate day) {
        return invoices.run(day);
    }
}
