package org.lodge.provisioning;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv4.IPv4Address;

/**
 * A unicast IPv4 host address written as a plain dotted quad, parsed strictly by the IPAddress
 * library (no inet_aton shorthands, no leading zeros, no prefix or port).
 */
public record Ipv4Address(String value) {

    private static final IPAddressStringParameters STRICT = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowSingleSegment(false).allowMask(false).allowPrefix(false)
            .allowWildcardedSeparator(false).allow_inet_aton(false).allowIPv6(false)
            .getIPv4AddressParametersBuilder().allowLeadingZeros(false).allowUnlimitedLeadingZeros(false)
            .allowBinary(false).allowWildcardedSeparator(false).allowPrefixesBeyondAddressSize(false)
            .getParentBuilder().toParams();

    public static Ipv4Address parse(String input) {
        if (input == null || input.isBlank()) {
            throw invalid("an IPv4 address is required, e.g. 10.231.0.10", "ipv4.required");
        }
        if (input.codePoints().anyMatch(Character::isISOControl)) {
            throw invalid(InvalidInputException.quote(input) + " contains control characters", "ipv4.control",
                    InvalidInputException.quote(input));
        }
        IPAddress address;
        try {
            address = new IPAddressString(input.strip(), STRICT).toAddress();
        } catch (AddressStringException | RuntimeException e) {
            throw invalid(InvalidInputException.quote(input) + " is not an IPv4 address; write four numbers 0-255"
                    + " separated by dots, without leading zeros, e.g. 10.231.0.10", "ipv4.malformed",
                    InvalidInputException.quote(input));
        }
        if (!address.isIPv4() || address.getCount().intValue() != 1 || !input.strip().chars().allMatch(
                c -> c == '.' || Character.isDigit(c))) {
            throw invalid(InvalidInputException.quote(input) + " is not a single IPv4 address", "ipv4.not-single",
                    InvalidInputException.quote(input));
        }
        IPv4Address ip = address.toIPv4();
        String reason = ip.isLoopback() ? "a loopback address"
                : ip.isMulticast() ? "a multicast address"
                : ip.isLinkLocal() ? "a link-local address"
                : ip.isZero() || ip.getSegment(0).getSegmentValue() == 0 ? "in 0.0.0.0/8 (this network)"
                : ip.getSegment(0).getSegmentValue() >= 240 ? "reserved (240.0.0.0/4) or broadcast"
                : null;
        if (reason != null) {
            String kind = reason.startsWith("in 0") ? "this-network" : reason.startsWith("reserved") ? "reserved"
                    : reason.substring(2, reason.indexOf(" address"));
            throw invalid(ip + " is " + reason + "; a jail needs a unicast host address", "ipv4.special." + kind,
                    ip.toCanonicalString());
        }
        return new Ipv4Address(ip.toCanonicalString());
    }

    public IPv4Address toIpAddress() {
        return new IPAddressString(value).getAddress().toIPv4();
    }

    @Override
    public String toString() {
        return value;
    }

    private static InvalidInputException invalid(String message, Object... codeAndArgs) {
        return codeAndArgs.length == 0 ? new InvalidInputException("ipv4", message) : new InvalidInputException("ipv4",
                message, (String) codeAndArgs[0], java.util.Arrays.copyOfRange(codeAndArgs, 1, codeAndArgs.length));
    }
}
