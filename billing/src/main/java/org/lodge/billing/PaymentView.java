package org.lodge.billing;

import java.time.LocalDate;
import java.util.UUID;

/** A payment received for an invoice. */
public record PaymentView(UUID id, UUID invoiceId, Money amount, LocalDate paidOn, String reference) {
}
