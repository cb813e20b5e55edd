package org.lodge.provisioning;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Set;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;

/**
 * One OpenSSH public key, as a customer pastes it from {@code ~/.ssh/id_ed25519.pub}: type, key
 * and an optional comment. Read and checked by Apache MINA SSHD (the key must decode and match its
 * type); one key only and no {@code authorized_keys} options, because the line goes to the guest's
 * root account, where an option such as {@code command=} would be the customer's own foot-gun
 * and a second line a key nobody asked for.
 */
public record SshPublicKey(String line) {

    private static final int MAX_LENGTH = 8192;
    private static final int MIN_RSA_BITS = 2048;
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    /** A blank input is no key (null); anything else must be one valid key. */
    public static SshPublicKey parseOptional(String input) {
        if (input == null || input.isBlank()) {
            return null;
        }
        String text = input.strip();
        if (text.length() > MAX_LENGTH) {
            throw invalid("an SSH public key has at most " + MAX_LENGTH + " characters", "ssh-key.length",
                    String.valueOf(MAX_LENGTH));
        }
        if (text.contains("\n") || text.contains("\r")) {
            throw invalid("give one SSH public key, on one line", "ssh-key.lines");
        }
        AuthorizedKeyEntry entry;
        PublicKey key;
        try {
            entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(text);
            key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (Exception e) {
            throw invalid("this is not an OpenSSH public key; paste the one line of your key's .pub file,"
                    + " e.g. ssh-ed25519 AAAA… you@laptop", "ssh-key.not-openssh");
        }
        if (entry == null || key == null) {
            throw invalid("this is not an OpenSSH public key; paste the one line of your key's .pub file",
                    "ssh-key.not-openssh");
        }
        if (entry.getLoginOptions() != null && !entry.getLoginOptions().isEmpty()) {
            throw invalid("give the key alone, without authorized_keys options such as command= or from=",
                    "ssh-key.options");
        }
        if (!TYPES.contains(entry.getKeyType())) {
            throw invalid("key type " + InvalidInputException.quote(entry.getKeyType())
                    + " is not accepted; use ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa",
                    "ssh-key.type", InvalidInputException.quote(entry.getKeyType()));
        }
        if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw invalid("this RSA key has " + rsa.getModulus().bitLength() + " bits; use at least "
                    + MIN_RSA_BITS + " (or an ed25519 key)", "ssh-key.rsa-bits",
                    String.valueOf(rsa.getModulus().bitLength()),
                    String.valueOf(MIN_RSA_BITS));
        }
        String comment = entry.getComment() == null ? "" : entry.getComment().strip();
        if (!comment.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            throw invalid("the key's comment has control characters", "ssh-key.comment");
        }
        String normalised = PublicKeyEntry.toString(key);
        return new SshPublicKey(comment.isEmpty() ? normalised : normalised + " " + comment);
    }

    private static InvalidInputException invalid(String message, String code, Object... args) {
        return new InvalidInputException("sshKey", message, code, args);
    }
}
