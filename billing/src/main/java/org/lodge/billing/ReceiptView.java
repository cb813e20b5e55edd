package org.lodge.billing;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Money received from a tenant and where it went: the invoices it paid (oldest first) and what
 * is left of it as credit, which the tenant's next invoices consume.
 *
 * @param source    {@code STAFF} (a bank transfer staff recorded) or {@code PROVIDER} (a payment provider's notification)
 * @param reference the transfer's reference, or the provider's transaction id
 */
public record ReceiptView(UUID id, UUID tenantId, String source, String reference, Money amount, LocalDate receivedOn,
                          List<PaymentView> allocations, Money unallocated) {
}
