package org.lodge.billing;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The seller as FatturaPA names it ({@code lodge.billing.fatturapa.*}): Italian VAT number (also
 * the transmitter's id), name, registered office and tax regime (RF01: ordinary).
 */
@Validated
@ConfigurationProperties("lodge.billing.fatturapa")
public record FatturaPaProperties(@Pattern(regexp = "\\d{11}") String vatNumber, @NotBlank String name,
                                  @NotBlank String address, @Pattern(regexp = "\\d{5}") String postcode,
                                  @NotBlank String city, @Pattern(regexp = "[A-Z]{2}") String province,
                                  @Pattern(regexp = "RF\\d{2}") String regime) {
}
