package org.lodge.billing;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Money on a tenant's account, for the payment pages: a receipt and the invoices it paid.
 *
 * @param source {@code STAFF} (a bank transfer staff recorded), {@code PROVIDER} (a payment
 *               provider's notification), {@code CREDIT} (the credit of a negative invoice) or
 *               {@code NOTE} (a credit note)
 */
public record ReceiptEntry(UUID id, UUID tenantId, String tenantName, String source, String reference, Money amount,
                           LocalDate receivedOn, String recordedBy, List<Allocated> allocations, Money unallocated) {

    /** The part of the receipt that paid one invoice. */
    public record Allocated(UUID invoiceId, String invoiceNumber, Money amount) {
    }
}
