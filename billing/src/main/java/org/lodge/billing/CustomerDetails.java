package org.lodge.billing;

/**
 * A tenant's billing details, as typed: checked by {@link Customers#save}. {@code vatNumber}
 * without the country prefix; for Italy a VAT number (11 digits) or fiscal code, a 5-digit
 * postcode, the province's two letters, and the SDI recipient code (7 characters) or a PEC
 * address for FatturaPA. {@code billingEmail}: where invoices and dunning notices are mailed.
 */
public record CustomerDetails(String legalName, String country, String vatNumber, String fiscalCode, String address,
                              String postcode, String city, String province, String sdiCode, String pec,
                              String billingEmail) {

    /** Details without a billing e-mail address (nothing is mailed to the tenant). */
    public CustomerDetails(String legalName, String country, String vatNumber, String fiscalCode, String address,
                           String postcode, String city, String province, String sdiCode, String pec) {
        this(legalName, country, vatNumber, fiscalCode, address, postcode, city, province, sdiCode, pec, null);
    }
}
