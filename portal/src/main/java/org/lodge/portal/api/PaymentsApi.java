package org.lodge.portal.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.lodge.billing.DunningRow;
import org.lodge.billing.Money;
import org.lodge.billing.PaymentNotifications;
import org.lodge.billing.Payments;
import org.lodge.billing.ReceiptView;
import org.lodge.billing.ReplayConflictException;
import org.lodge.billing.SignatureRefusedException;
import org.lodge.portal.security.PortalUser;
import org.lodge.portal.tenant.TenantService;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Money received: the payment provider's signed notifications (no login: the HMAC is the
 * credential), staff's transfers for a tenant as a whole, a tenant's credit balance, and the
 * dunning overview.
 */
@RestController
@RequestMapping("/api/billing")
@Tag(name = "billing")
public class PaymentsApi {

    private final PaymentNotifications notifications;
    private final Payments payments;
    private final TenantService tenants;

    public PaymentsApi(PaymentNotifications notifications, Payments payments, TenantService tenants) {
        this.notifications = notifications;
        this.payments = payments;
        this.tenants = tenants;
    }

    @Operation(summary = "A payment provider's notification: JSON {transactionId, amount, currency, paidOn, invoiceNumber | tenantId}, "
            + "signed with HMAC-SHA256 of the raw body in header X-Lodge-Signature: sha256=<hex>. A replay answers the same and changes nothing.")
    @PostMapping("/payment-notifications")
    public ReceiptView notification(@RequestBody byte[] body,
                                    @RequestHeader(name = PaymentNotifications.SIGNATURE_HEADER, required = false) String signature) {
        return notifications.accept(body, signature);
    }

    @Operation(summary = "Record a transfer from a tenant (staff): paid to its open invoices oldest first, the rest is credit.")
    @PostMapping("/customers/{tenantId}/payments")
    public ResponseEntity<ReceiptView> receive(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId,
                                               @RequestBody BillingApi.NewPayment body) {
        tenants.tenant(tenantId);
        return ResponseEntity.status(201).body(payments.receive(tenantId, body.amount(), body.paidOn(),
                body.reference(), user.getUsername()));
    }

    @Operation(summary = "A tenant's credit balance: money received that no invoice has taken yet.")
    @GetMapping("/customers/{tenantId}/balance")
    public Map<String, Money> balance(@AuthenticationPrincipal PortalUser user, @PathVariable UUID tenantId) {
        return Map.of("credit", payments.credit(tenantId, user.scope()));
    }

    @Operation(summary = "Subscriptions in dunning (staff): oldest overdue invoice, stage reached, next step and its day.")
    @GetMapping("/dunning")
    public List<DunningRow> dunning(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
                                    LocalDate day) {
        return payments.overview(day);
    }

    @ExceptionHandler(SignatureRefusedException.class)
    ResponseEntity<ProblemDetail> refused(SignatureRefusedException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, e.getMessage()));
    }

    @ExceptionHandler(ReplayConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ReplayConflictException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage()));
    }
}
