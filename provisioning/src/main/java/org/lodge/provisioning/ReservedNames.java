package org.lodge.provisioning;

import java.util.Map;

/**
 * Special-use names (IANA's special-use domain registry and its RFCs) can never resolve on the
 * public internet, so a site under them would be unreachable: they are refused with the reason.
 * Documentation names under real TLDs ({@code example.com}, RFC 2606) stay allowed; the bare
 * {@code .example} TLD is refused here like the other special-use TLDs.
 */
final class ReservedNames {

    /** The last label (or the last two for .arpa names) → why no public site can live there. */
    private static final Map<String, String> SPECIAL = Map.ofEntries(
            Map.entry("local", "is used by multicast DNS on local networks only (RFC 6762)"),
            Map.entry("test", "is reserved for testing and never exists on the internet (RFC 6761)"),
            Map.entry("invalid", "is reserved to be always invalid (RFC 6761)"),
            Map.entry("localhost", "always means the computer itself (RFC 6761)"),
            Map.entry("localdomain", "is a local name of the computer itself (as in localhost.localdomain)"),
            Map.entry("example", "is reserved for documentation and never exists on the internet (RFC 6761)"),
            Map.entry("alt", "is reserved for names outside the DNS (RFC 9476)"),
            Map.entry("onion", "is reserved for Tor onion services (RFC 7686)"),
            Map.entry("internal", "is reserved by ICANN for private networks"),
            Map.entry("home.arpa", "is reserved for home networks (RFC 8375)"),
            Map.entry("arpa", "is the internet's infrastructure domain (reverse DNS and protocols), not for sites"));

    private ReservedNames() {
    }

    static void check(String ascii) {
        String[] labels = ascii.split("\\.");
        String tld = labels[labels.length - 1];
        String lastTwo = labels[labels.length - 2] + "." + tld;
        String suffix = SPECIAL.containsKey(lastTwo) ? lastTwo : tld;
        String why = SPECIAL.get(suffix);
        if (why != null) {
            throw DomainName.invalid("the domain " + ascii + " cannot be hosted: ." + suffix + " " + why,
                    "domain.reserved." + suffix, ascii);
        }
    }
}
