package org.lodge.billing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.lodge.billing.invoice.Dunning;
import org.lodge.billing.invoice.PaymentStore;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.TenantScope;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Payments (staff record bank transfers) and the dunning run that suspends and lifts per subscription. */
@Service
public class Payments {

    private final PaymentStore store;
    private final Invoices invoices;
    private final Dunning dunning;
    private final BillingProperties props;
    private final Clock clock;

    public Payments(PaymentStore store, Invoices invoices, Dunning dunning, BillingProperties props, Clock billingClock) {
        this.store = store;
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
        Money money;
        try {
            money = Money.parse(amount);
        } catch (IllegalArgumentException e) {
            throw InvalidRequestException.of("amount", e.getMessage());
        }
        if (reference == null || reference.isBlank() || reference.strip().length() > 100) {
            throw InvalidRequestException.of("reference", "the transfer's reference, 1 to 100 characters");
        }
        LocalDate on;
        try {
            on = paidOn == null || paidOn.isBlank() ? today() : LocalDate.parse(paidOn.strip());
        } catch (DateTimeParseException e) {
            throw InvalidRequestException.of("paidOn", "a date like 2026-01-31");
        }
        return store.record(invoiceId, money, on, reference.strip(), actor, today());
    }

    /** Suspends what is overdue and lifts what is paid, as of {@code day} (today when null). */
    @PreAuthorize("hasRole('STAFF')")
    public int[] dunning(LocalDate day) {
        return dunning.run(day == null ? today() : day);
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(props.zone()));
    }
}
