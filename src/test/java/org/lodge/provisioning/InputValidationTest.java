package org.lodge.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The value types refuse hostile and malformed input with a specific message, and normalise the rest. */
class InputValidationTest {

    @ParameterizedTest(name = "refuses domain [{0}]")
    @ValueSource(strings = {
            "", " ", "example", "localhost", "; rm -rf /", "a.com; rm -rf /", "$(reboot).example.com",
            "`id`.example.com", "a'b.example.com", "a\"b.example.com", "<script>.example.com", "a|b.example.com",
            "a&b.example.com", "a\nb.example.com", "example.com\r\nHost: evil", "a\u0000b.example.com", "a\tb.example.com",
            "../etc/passwd", "..", "a..b.com", ".example.com", "example..com", "/var/www", "a/b.example.com",
            "a\\b.example.com", "-lead.example.com", "trail-.example.com", "under_score.example.com",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example.com",
            "10.0.0.1", "192.168.1.1", "example.123", "example.c", "exa mple.com", "*.example.com",
            "example.com:80", "http://example.com", "user@example.com", "%2e%2e.example.com", "a.b.c.d.e.f.-g.com",
            "\u202Eevil.com", "💥.", "xn--.com"
    })
    void refusesHostileDomains(String input) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("domain");
                    assertThat(e.getMessage()).isNotBlank().doesNotContain("\n").doesNotContain("\r").doesNotContain("\u0000");
                });
    }

    /** What a registrar refuses, each with the reason a person needs to pick another name. */
    @ParameterizedTest(name = "refuses [{0}] because it {1}")
    @CsvSource(delimiter = '|', textBlock = """
            раураl.com              | mixes Cyrillic and Latin letters
            exаmple.com             | mixes Cyrillic and Latin letters
            раура.com               | Cyrillic letters that look exactly like the Latin name 'paypa'
            ο.com                   | Greek letters that look exactly like the Latin name 'o'
            example.local           | .local is used by multicast DNS on local networks only
            shop.test               | .test is reserved for testing
            site.invalid            | .invalid is reserved to be always invalid
            app.localhost           | .localhost always means the computer itself
            localhost.localdomain   | .localdomain is a local name of the computer itself
            name.alt                | RFC 9476
            abcdefghijklmnop.onion  | Tor onion services
            printer.home.arpa       | .home.arpa is reserved for home networks
            10.in-addr.arpa         | infrastructure domain
            shop.internal           | private networks
            bücher.example          | .example is reserved for documentation
            example.notatld         | .notatld does not exist: it is not in IANA's list
            example.co.zz           | .zz does not exist
            xn--a.com               | the label 'xn--a' starts with xn-- but is not a valid encoded international name
            xn--.com                | not a valid encoded international name
            xn--ls8h.xn--ls8h       | emoji, symbols and historic scripts are refused
            💩.com                  | emoji, symbols and historic scripts are refused
            ex--ample.com           | the label 'ex--ample' has hyphens as its 3rd and 4th characters
            ab--cd.example.com      | reserved for encoded international names
            -lead.example.com       | the label '-lead' starts or ends with a hyphen
            under_score.example.com | it contains '_' (U+005F low line), which cannot appear in a domain name
            aא.com             | mixes right-to-left and left-to-right text
            """)
    void refusesWhatARegistrarRefusesAndSaysWhy(String input, String reason) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("domain");
                    assertThat(e.getMessage()).contains(reason);
                });
    }

    @ParameterizedTest(name = "refuses [{0}] with an invisible character")
    @ValueSource(strings = {"\u202Eevil.com", "a\u200Db.com", "a\u2066b.com"})
    void refusesInvisibleCharactersNamingThem(String input) {
        assertThatThrownBy(() -> DomainName.parse(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("domain");
                    assertThat(e.getMessage()).containsPattern("U\\+[0-9A-F]{4}|joiner");
                });
    }

    @ParameterizedTest(name = "refuses a 254-character domain")
    @ValueSource(ints = {254, 300, 1000})
    void refusesOverLongDomains(int length) {
        StringBuilder name = new StringBuilder();
        while (name.length() < length) {
            name.append("abcdefghi.");
        }
        String input = name.substring(0, length - 4) + ".com";
        assertThatThrownBy(() -> DomainName.parse(input)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("at most 253");
    }

    @ParameterizedTest(name = "refuses a {0}-character label")
    @ValueSource(ints = {64, 100})
    void refusesOverLongLabels(int length) {
        assertThatThrownBy(() -> DomainName.parse("a".repeat(length) + ".example.com"))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("at most 63");
    }

    @ParameterizedTest(name = "[{0}] is stored as [{1}]")
    @CsvSource({
            "Example.COM, example.com",
            "www.example.com., www.example.com",
            "bücher.example.com, xn--bcher-kva.example.com",
            "ÉCOLE.fr, xn--cole-9oa.fr",
            "münchen.de, xn--mnchen-3ya.de",
            "xn--bcher-kva.example.org, xn--bcher-kva.example.org",
            "  padded.example.org  , padded.example.org",
            "a-b.c-d.example.net, a-b.c-d.example.net",
            "пример.рф, xn--e1afmkfd.xn--p1ai",
            "日本語.jp, xn--wgv71a119e.jp",
            "straße.de, xn--strae-oqa.de",
            "μαρία.gr, xn--kxadb5b0a.gr",
            "XN--MNCHEN-3YA.DE, xn--mnchen-3ya.de",
            "shop.example.org, shop.example.org"
    })
    void storesDomainsAsLowercasePunycode(String input, String ascii) {
        assertThat(DomainName.parse(input).ascii()).isEqualTo(ascii);
    }

    @ParameterizedTest
    @CsvSource({"bücher.example.com, bücher.example.com", "xn--mnchen-3ya.de, münchen.de", "xn--p1ai.xn--p1ai, рф.рф"})
    void showsIdnInUnicode(String input, String unicode) {
        assertThat(DomainName.parse(input).unicode()).isEqualTo(unicode);
    }

    @ParameterizedTest(name = "refuses IPv4 [{0}]")
    @ValueSource(strings = {
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "010.1.1.1", "10.01.1.1", "0x0a.0.0.1", "10.0.0.1/24",
            "10.0.0.1:80", "10 .0.0.1", "10.0.0.1\n", "10.0.0.1;reboot", "::1", "fe80::1", "2001:db8::1", "167772161",
            "10.0.1", "a.b.c.d", "-1.0.0.0", "10.0.0.*", "127.0.0.1", "127.1.2.3", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "0.0.0.0", "0.1.2.3", "169.254.1.1", "10.0.0.1 10.0.0.2", "localhost"
    })
    void refusesHostileOrUnusableAddresses(String input) {
        assertThatThrownBy(() -> Ipv4Address.parse(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.field()).isEqualTo("ipv4");
                    assertThat(e.getMessage()).doesNotContain("\n");
                });
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, loopback", "224.0.0.1, multicast", "169.254.1.1, link-local", "255.255.255.255, broadcast",
            "0.1.2.3, this network", "010.1.1.1, without leading zeros"})
    void explainsWhyAnAddressIsRefused(String input, String fragment) {
        assertThatThrownBy(() -> Ipv4Address.parse(input)).hasMessageContaining(fragment);
    }

    @ParameterizedTest
    @CsvSource({"10.231.0.10, 10.231.0.10", " 192.0.2.7 , 192.0.2.7", "100.64.0.1, 100.64.0.1"})
    void acceptsUnicastAddresses(String input, String value) {
        assertThat(Ipv4Address.parse(input).value()).isEqualTo(value);
    }

    @ParameterizedTest(name = "refuses size [{0}]")
    @ValueSource(strings = {"", "-1G", "0", "0M", "1e9", "NaN", "Infinity", "99999999999999999999G", "17T", "1X", "G",
            "12 MB extra", "15M", "1K", "0.001G", "1,5G", "1.5.5G", "256M;", "$(echo 1)G", "0x100M", "+5G", "1 G B"})
    void refusesMalformedOrAbsurdSizes(String input) {
        assertThatThrownBy(() -> DiskSize.parse(input))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("diskSize"));
    }

    @ParameterizedTest
    @CsvSource({"15M, at least 16 MiB", "17T, at most 16 TiB", "1X, not a disk size", "64b, too small (64 bytes)",
            "64 B, too small (64 bytes)", "16777215B, too small (16777215 bytes)", "64iB, not a disk size"})
    void explainsWhyASizeIsRefused(String input, String fragment) {
        assertThatThrownBy(() -> DiskSize.parse(input)).hasMessageContaining(fragment);
    }

    @ParameterizedTest(name = "[{0}] is {1} MiB")
    @CsvSource({"256M, 256", "256MiB, 256", "256 MB, 256", "1G, 1024", "1 GiB, 1024", "1.5G, 1536", "2048, 2048",
            "16384K, 16", "16385K, 17", "1t, 1048576", "16M, 16", "0.5g, 512",
            "16777216B, 16", "16777217 b, 17"})
    void parsesSizesInBinaryUnitsRoundedUpToMiB(String input, long mib) {
        assertThat(DiskSize.parse(input).mib()).isEqualTo(mib);
    }

    @ParameterizedTest
    @CsvSource({"256M, 256 MiB", "1G, 1 GiB", "1.5G, 1.5 GiB"})
    void showsSizesForPeople(String input, String human) {
        assertThat(DiskSize.parse(input).human()).isEqualTo(human);
    }
}
