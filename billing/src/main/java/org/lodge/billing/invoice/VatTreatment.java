package org.lodge.billing.invoice;

import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;
import org.lodge.billing.BillingProperties;
import org.lodge.billing.CustomerDetails;
import org.lodge.billing.customer.CustomerStore;
import org.springframework.stereotype.Component;

/**
 * The VAT a tenant's new lines get. A business in another EU member state, with a VAT number
 * (its format checked when the details were saved), gets B2B services under the reverse charge:
 * 0 %, FatturaPA Natura N2.1 (not subject to Italian VAT, art. 7-ter DPR 633/72; the customer
 * accounts for the VAT, art. 196 of Directive 2006/112/EC). Everyone else pays the configured rate.
 */
@Component
class VatTreatment {

    static final String REVERSE_CHARGE_NATURE = "N2.1";
    static final String REVERSE_CHARGE_NOTE = "Reverse charge: VAT to be accounted for by the customer"
            + " (art. 196 Directive 2006/112/EC; inversione contabile, art. 7-ter DPR 633/72)";
    private static final Set<String> EU = Set.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI",
            "FR", "HR", "HU", "IE", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");

    record Vat(BigDecimal rate, String nature) {
    }

    private final CustomerStore customers;
    private final BillingProperties props;

    VatTreatment(CustomerStore customers, BillingProperties props) {
        this.customers = customers;
        this.props = props;
    }

    Vat forTenant(UUID tenantId) {
        return customers.find(tenantId).filter(VatTreatment::reverseCharge)
                .map(c -> new Vat(BigDecimal.ZERO.setScale(2), REVERSE_CHARGE_NATURE))
                .orElse(new Vat(props.vatRate(), null));
    }

    /** An EU business outside Italy (the seller's country), identified by its VAT number. */
    static boolean reverseCharge(CustomerDetails customer) {
        return customer != null && customer.vatNumber() != null && EU.contains(customer.country());
    }
}
