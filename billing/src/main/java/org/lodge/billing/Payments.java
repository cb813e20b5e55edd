package org.lodge.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.invoice.Allocation;
import org.lodge.billing.invoice.Dunning;
import org.lodge.billing.invoice.DunningOverview;
import org.lodge.billing.invoice.Ledger;
import org.lodge.billing.invoice.PaymentStore;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Payments (staff record bank transfers), credit balances, and the dunning run (per subscription). */
@Service
public class Payments {

    // The pages and the API list the latest receipts; older ones stay in the database.
    private static final int RECEIPTS_SHOWN = 500;

    private final PaymentStore store;
    private final Allocation allocation;
    private final DunningOverview overview;
    private final Invoices invoices;
    private final Dunning dunning;
    private final BillingProperties props;
    private final Clock clock;
    private final Ledger ledger;

    public Payments(PaymentStore store, Allocation allocation, DunningOverview overview, Invoices invoices,
                    Dunning dunning, BillingProperties props, Clock billingClock, Ledger ledger) {
        this.ledger = ledger;
        this.overview = overview;
        this.store = store;
        this.allocation = allocation;
        this.invoices = invoices;
        this.dunning = dunning;
        this.props = props;
        this.clock = billingClock;
    }

    public List<PaymentView> of(UUID invoiceId, TenantScope scope) {
        return store.of(invoices.find(invoiceId, scope).id());
    }

    @PreAuthorize("hasRole('STAFF')")
    public PaymentView record(UUID invoiceId, String amount, String paidOn, String reference, String actor) {
        return store.record(invoiceId, money(amount), day(paidOn), reference(reference), actor, today());
    }

    /**
     * A bank transfer from a tenant as a whole (staff): paid to its open invoices oldest first, the
     * rest kept as credit for the next invoices (the same allocation as the provider's notifications).
     */
    @PreAuthorize("hasRole('STAFF')")
    public ReceiptView receive(UUID tenantId, String amount, String paidOn, String reference, String actor) {
        Money money = money(amount);
        if (money.compareTo(Money.ZERO) <= 0) {
            throw InvalidRequestException.of("amount", "more than 0.00", "amount.positive");
        }
        return store.receive(tenantId, money, day(paidOn), "STAFF", reference(reference), null, actor, today());
    }

    /** Subscriptions in dunning on {@code day} (today when null), longest overdue first, with stage and next step (staff). */
    @PreAuthorize("hasRole('STAFF')")
    public List<DunningRow> overview(LocalDate day) {
        return overview.rows(day == null ? today() : day);
    }

    /** The tenant's credit: money received that no invoice has taken yet. */
    public Money credit(UUID tenantId, TenantScope scope) {
        if (!scope.allows(tenantId)) {
            throw org.lodge.provisioning.NotFoundException.of("tenant", tenantId);
        }
        return allocation.credit(tenantId);
    }

    /** Receipts with their allocations, newest first: staff see every tenant's, customers their tenant's. */
    public List<ReceiptEntry> receipts(TenantScope scope) {
        return ledger.receipts(scope.tenantId(), RECEIPTS_SHOWN);
    }

    /** One tenant's receipts (staff, or the tenant's customers; another tenant answers "not found"). */
    public List<ReceiptEntry> receiptsOf(UUID tenantId, TenantScope scope) {
        allow(tenantId, scope);
        return ledger.receipts(java.util.Optional.of(tenantId), RECEIPTS_SHOWN);
    }

    /** Every tenant's outstanding and credit (staff). */
    @PreAuthorize("hasRole('STAFF')")
    public List<TenantBalance> balances() {
        return ledger.balances(java.util.Optional.empty());
    }

    /** One tenant's outstanding and credit (staff, or the tenant's customers). */
    public TenantBalance balance(UUID tenantId, TenantScope scope) {
        allow(tenantId, scope);
        return ledger.balances(java.util.Optional.of(tenantId)).stream().findFirst()
                .orElseThrow(() -> org.lodge.provisioning.NotFoundException.of("tenant", tenantId));
    }

    private static void allow(UUID tenantId, TenantScope scope) {
        if (!scope.allows(tenantId)) {
            throw org.lodge.provisioning.NotFoundException.of("tenant", tenantId);
        }
    }

    private static Money money(String amount) {
        try {
            return Money.parse(amount);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw InvalidRequestException.of("amount", "an amount in euros, like 12.20", "amount.malformed");
        }
    }

    private static String reference(String reference) {
        if (reference == null || reference.isBlank() || reference.strip().length() > 100) {
            throw InvalidRequestException.of("reference", "the transfer's reference, 1 to 100 characters", "payment.reference");
        }
        return reference.strip();
    }

    private LocalDate day(String paidOn) {
        try {
            return paidOn == null || paidOn.isBlank() ? today() : LocalDate.parse(paidOn.strip());
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.of("paidOn", "a date like 2026-01-31", "date.malformed");
        }
    }

    /**
     * Reminds, suspends, lifts and terminates as of {@code day} (today when null).
     *
     * @return how many subscriptions were suspended, lifted and terminated, and how many reminders were queued
     */
    @PreAuthorize("hasRole('STAFF')")
    public int[] dunning(LocalDate day) {
        Dunning.Outcome done = dunning.run(day == null ? today() : day);
        return new int[] {done.suspended(), done.lifted(), done.terminated(), done.reminders()};
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(props.zone()));
    }
}
