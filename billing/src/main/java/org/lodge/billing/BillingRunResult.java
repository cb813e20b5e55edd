package org.lodge.billing;

import java.time.LocalDate;
import java.util.List;

/** What one billing run did: the invoices it made (issued, or drafts) and the lines it billed. */
public record BillingRunResult(LocalDate day, List<String> invoices, int lines) {
}
