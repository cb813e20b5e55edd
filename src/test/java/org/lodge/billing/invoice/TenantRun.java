package org.lodge.billing.invoice;

import java.time.LocalDate;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Tests' billing run for one tenant only (what the run does for each tenant: bill what is due,
 * then issue), so a test does not bill every other test's open subscriptions as well.
 */
@Component
public class TenantRun {

    private final TenantBilling billing;
    private final Issuer issuer;

    TenantRun(TenantBilling billing, Issuer issuer) {
        this.billing = billing;
        this.issuer = issuer;
    }

    /** @return the number of the invoice issued, if anything was due */
    public Optional<String> run(UUID tenant, LocalDate day) {
        return billing.bill(tenant, day).map(draft -> issuer.issue(draft, day));
    }
}
