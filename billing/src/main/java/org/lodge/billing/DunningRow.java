package org.lodge.billing;

import java.time.LocalDate;
import java.util.UUID;

/**
 * One subscription in dunning: its oldest overdue invoice, the stage reached and what comes next.
 *
 * @param stage    OVERDUE, REMINDED (first reminder), REMINDED_TWICE, SUSPENDED or TERMINATED
 * @param nextStep the next transition (FIRST_REMINDER, SECOND_REMINDER, SUSPENSION, TERMINATION), null after termination
 * @param nextOn   the day the dunning run takes it
 */
public record DunningRow(UUID tenantId, String tenantName, UUID unitId, String unit, String invoiceNumber,
                         LocalDate dueDate, Money outstanding, long daysPastDue, String stage, String nextStep,
                         LocalDate nextOn) {
}
