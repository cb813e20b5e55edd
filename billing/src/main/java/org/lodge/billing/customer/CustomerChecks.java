package org.lodge.billing.customer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.validator.routines.EmailValidator;
import org.lodge.billing.CustomerDetails;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;

/**
 * Checks and normalises billing details: every bad field is reported at once. The formats are
 * those FatturaPA accepts (Latin text, lengths), and for Italy the national ones.
 */
public final class CustomerChecks {

    private static final Set<String> EU = Set.of("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR",
            "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK");
    private static final String LATIN = "[\\p{InBasicLatin}\\p{InLatin-1Supplement}&&[^\\p{Cntrl}]]";

    private CustomerChecks() {
    }

    public static CustomerDetails normalise(CustomerDetails in) {
        List<InvalidInputException> problems = new ArrayList<>();
        String country = upper(in.country());
        boolean italy = "IT".equals(country);
        if (country == null || !country.matches("[A-Z]{2}")) {
            problems.add(new InvalidInputException("country", "the ISO 3166 two-letter country code, e.g. IT",
                    "billing.country"));
        }
        String name = text(problems, "legalName", in.legalName(), 80, true);
        String vat = upper(in.vatNumber());
        if (vat != null) {
            vat = vat.replace(" ", "");
            if (country != null && vat.startsWith(country)) {
                vat = vat.substring(2);
            }
            boolean valid = italy ? vat.matches("\\d{11}") : vat.matches("[0-9A-Z+*.]{2,12}") && EU.contains(country)
                    || !EU.contains(country) && vat.matches("[0-9A-Z]{2,28}");
            if (!valid) {
                problems.add(italy
                        ? new InvalidInputException("vatNumber", "an Italian VAT number has 11 digits", "billing.vat.italy")
                        : new InvalidInputException("vatNumber", "a VAT number has 2 to 12 letters, digits, '+', '*' or '.'"
                                + " (without the country prefix)", "billing.vat"));
            }
        }
        String fiscal = upper(in.fiscalCode());
        if (fiscal != null && !fiscal.matches("[A-Z0-9]{11,16}")) {
            problems.add(new InvalidInputException("fiscalCode", "11 to 16 letters and digits", "billing.fiscal-code"));
        }
        if (italy && vat == null && fiscal == null) {
            problems.add(new InvalidInputException("vatNumber", "an Italian customer needs a VAT number or a fiscal code",
                    "billing.vat.or-fiscal-code"));
        }
        String address = text(problems, "address", in.address(), 60, true);
        String postcode = upper(in.postcode());
        if (postcode == null || !(italy ? postcode.matches("\\d{5}") : postcode.matches("[A-Z0-9 -]{2,10}"))) {
            problems.add(italy
                    ? new InvalidInputException("postcode", "five digits", "billing.postcode.italy")
                    : new InvalidInputException("postcode", "2 to 10 letters and digits", "billing.postcode"));
        }
        String city = text(problems, "city", in.city(), 60, true);
        String province = upper(in.province());
        if (province != null && !province.matches("[A-Z]{2}") || italy && province == null) {
            problems.add(new InvalidInputException("province", "the province's two letters, e.g. RM", "billing.province"));
        }
        String sdi = upper(in.sdiCode());
        if (sdi != null && !sdi.matches("[A-Z0-9]{7}")) {
            problems.add(new InvalidInputException("sdiCode", "the SDI recipient code has 7 letters and digits",
                    "billing.sdi-code"));
        }
        String pec = blankToNull(in.pec());
        if (pec != null && !pec.matches("[^@\\s]{1,64}@[^@\\s]{1,180}\\.[A-Za-z]{2,}")) {
            problems.add(new InvalidInputException("pec", "an e-mail address", "billing.pec"));
        }
        String email = blankToNull(in.billingEmail());
        if (email != null && (email.length() > 254 || !EmailValidator.getInstance().isValid(email))) {
            problems.add(new InvalidInputException("billingEmail", "an e-mail address, where invoices are sent",
                    "billing.email"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidRequestException(problems);
        }
        return new CustomerDetails(name, country, vat, fiscal, address, postcode, city, province, sdi, pec, email);
    }

    private static String text(List<InvalidInputException> problems, String field, String value, int max,
                               boolean required) {
        String text = blankToNull(value);
        if (text == null ? required : text.length() > max || !text.matches(LATIN + "+")) {
            problems.add(new InvalidInputException(field, "1 to " + max + " Latin characters", "billing.latin-text",
                    String.valueOf(max)));
        }
        return text;
    }

    private static String upper(String value) {
        String text = blankToNull(value);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
