package org.lodge.provisioning;

import java.util.UUID;

/**
 * Billing found the unit's subscription overdue: provisioning stops the unit and marks it
 * suspended for non-payment (its customers cannot start it again; staff can). Published by the
 * billing module; a provisioning type, so provisioning never imports billing.
 */
public record NonPaymentSuspensionRequested(UUID unitId, String invoiceNumber) {
}
