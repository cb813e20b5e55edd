package org.lodge.billing;

/**
 * A tenant's billing details, as typed: checked by {@link Customers#save}. {@code vatNumber}
 * without the country prefix; for Italy a VAT number (11 digits) or fiscal code, a 5-digit
 * postcode, the province's two letters, and the SDI recipient code (7 characters) or a PEC
 * address for FatturaPA.
 */
public record CustomerDetails(String legalName, String country, String vatNumber, String fiscalCode, String address,
                              String postcode, String city, String province, String sdiCode, String pec) {
}
