package org.lodge.provisioning;

import java.util.UUID;

/**
 * Billing found the unit's subscription still unpaid long after its suspension: provisioning
 * deletes the unit (its backups stay for {@code lodge.backup.keep-after-deletion}). Published by
 * the billing module; a provisioning type, so provisioning never imports billing.
 */
public record NonPaymentTerminationRequested(UUID unitId, String invoiceNumber) {
}
