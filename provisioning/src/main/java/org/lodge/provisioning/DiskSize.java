package org.lodge.provisioning;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A disk size in bytes, a whole number of MiB (images are allocated in MiB). Units are binary:
 * "512M", "512MiB" and "512 MB" all mean 512 × 2^20 bytes; a plain number means MiB; a bare "B"
 * means bytes ("64b" is 64 bytes, refused as too small, never read as 64 MiB).
 */
public record DiskSize(long bytes) {

    public static final long MIB = 1L << 20;
    /** Below this no filesystem with a jail in it fits. */
    public static final long FLOOR = 16 * MIB;
    /** Far beyond any single jail; refuses typos such as an extra zero in terabytes. */
    public static final long CEILING = 16L << 40;

    private static final Pattern FORM = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)\\s?(?:([KMGT])(?:I?B)?|(B))?");

    public DiskSize {
        if (bytes <= 0 || bytes % MIB != 0) {
            throw new IllegalArgumentException("a disk size is a positive whole number of MiB");
        }
    }

    public static DiskSize parse(String input) {
        if (input == null || input.isBlank()) {
            throw invalid("a disk size is required, e.g. 256M or 1G", "disk-size.required");
        }
        Matcher m = FORM.matcher(input.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw invalid(InvalidInputException.quote(input) + " is not a disk size; write a number with an optional"
                    + " unit K, M, G or T (binary), e.g. 256M, 1.5G; a plain number means MiB, B means bytes",
                    "disk-size.malformed", InvalidInputException.quote(input));
        }
        String unit = m.group(3) != null ? "B" : m.group(2) == null ? "M" : m.group(2);
        int shift = switch (unit) {
            case "B" -> 0;
            case "K" -> 10;
            case "G" -> 30;
            case "T" -> 40;
            default -> 20;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(2).pow(shift));
        BigDecimal mib = bytes.divide(BigDecimal.valueOf(MIB), 0, RoundingMode.CEILING);
        if (mib.signum() == 0 || bytes.compareTo(BigDecimal.valueOf(FLOOR)) < 0) {
            throw invalid(InvalidInputException.quote(input) + " is too small (" + bytes.stripTrailingZeros().toPlainString()
                    + " bytes); a jail disk has at least 16 MiB, e.g. 256M", "disk-size.too-small",
                    InvalidInputException.quote(input), bytes.stripTrailingZeros().toPlainString());
        }
        if (bytes.compareTo(BigDecimal.valueOf(CEILING)) > 0) {
            throw invalid(InvalidInputException.quote(input) + " is too large; a jail disk has at most 16 TiB",
                    "disk-size.too-large", InvalidInputException.quote(input));
        }
        return new DiskSize(mib.longValueExact() * MIB);
    }

    /** For sizes measured rather than typed (free space, usage): rounded up to a MiB. */
    public static DiskSize ofBytes(long bytes) {
        return new DiskSize(Math.max(1, (bytes + MIB - 1) / MIB) * MIB);
    }

    public long mib() {
        return bytes / MIB;
    }

    public String human() {
        if (bytes >= (1L << 30) && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= (1L << 30)) {
            return BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1L << 30), 1, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString() + " GiB";
        }
        return mib() + " MiB";
    }

    private static InvalidInputException invalid(String message, Object... codeAndArgs) {
        return codeAndArgs.length == 0 ? new InvalidInputException("diskSize", message) : new InvalidInputException("diskSize",
                message, (String) codeAndArgs[0], java.util.Arrays.copyOfRange(codeAndArgs, 1, codeAndArgs.length));
    }
}
