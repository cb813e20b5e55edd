package org.lodge.support;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238 codes as an authenticator app computes them (HMAC-SHA1, 6 digits, 30 s), written out
 * here apart from the portal's library, so a test proves the two agree.
 */
public final class Totp {

    private Totp() {
    }

    /** The code for the 30-second step {@code offset} steps from now. */
    public static String code(String base32Secret, int offset) {
        long step = System.currentTimeMillis() / 1000 / 30 + offset;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(new Base32().decode(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int at = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[at] & 0x7f) << 24) | ((hash[at + 1] & 0xff) << 16) | ((hash[at + 2] & 0xff) << 8)
                    | (hash[at + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
