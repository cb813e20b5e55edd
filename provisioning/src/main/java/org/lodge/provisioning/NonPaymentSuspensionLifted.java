package org.lodge.provisioning;

import java.util.UUID;

/** The overdue invoice is paid: a unit suspended for non-payment is unmarked and started again. */
public record NonPaymentSuspensionLifted(UUID unitId) {
}
