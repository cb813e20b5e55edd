package org.lodge.provisioning.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import javax.crypto.spec.SecretKeySpec;
import org.lodge.provisioning.SecretFile;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.stereotype.Component;

/**
 * Seals the secrets Lodge must store (FTP passwords waiting to be revealed) with AES-256-GCM, a
 * fresh IV per value, under a key that lives outside the database: {@code lodge.secrets.key-file},
 * generated once (0600, owned like its directory, so the portal's user and root can read it).
 * A copy of the database alone reveals nothing, and a tampered value fails to open.
 */
@Component
public class SecretCipher {

    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 16;

    private final BytesEncryptor encryptor;

    public SecretCipher(@Value("${lodge.secrets.key-file}") Path keyFile) throws IOException {
        byte[] key = Base64.getUrlDecoder().decode(SecretFile.readOrCreate(keyFile, KEY_BYTES));
        if (key.length != KEY_BYTES) {
            throw new IllegalStateException("the key in " + keyFile + " is not " + KEY_BYTES + " bytes long");
        }
        this.encryptor = new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(IV_BYTES),
                AesBytesEncryptor.CipherAlgorithm.GCM);
    }

    /** IV, ciphertext and tag, as Base64 text for a text column. */
    public String seal(String secret) {
        return Base64.getEncoder().encodeToString(encryptor.encrypt(secret.getBytes(StandardCharsets.UTF_8)));
    }

    public String open(String sealed) {
        return new String(encryptor.decrypt(Base64.getDecoder().decode(sealed)), StandardCharsets.UTF_8);
    }
}
