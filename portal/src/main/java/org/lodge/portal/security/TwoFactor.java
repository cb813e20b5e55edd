package org.lodge.portal.security;

import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.lodge.portal.tenant.UserEntity;
import org.lodge.portal.tenant.UserRepository;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.lodge.provisioning.secret.SecretCipher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * TOTP two-factor login (RFC 6238: SHA-1, 6 digits, 30 s, as every authenticator app reads it).
 * The secret is sealed at rest with the job-secret key; it counts only once a first code confirms
 * it. Ten recovery codes are shown once and kept as PasswordEncoder hashes, each good once. A code
 * is accepted one step either side of now (clock drift), and never twice (last_step).
 */
@Service
public class TwoFactor {

    public static final String ISSUER = "Lodge";
    static final int RECOVERY_CODES = 10;
    private static final int PERIOD = 30;
    private static final char[] RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789".toCharArray();

    private final JdbcClient jdbc;
    private final UserRepository users;
    private final SecretCipher cipher;
    private final PasswordEncoder encoder;
    private final Clock clock;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);
    private final SecureRandom random = new SecureRandom();

    public TwoFactor(JdbcClient jdbc, UserRepository users, SecretCipher cipher, PasswordEncoder encoder) {
        this.jdbc = jdbc;
        this.users = users;
        this.cipher = cipher;
        this.encoder = encoder;
        this.clock = Clock.systemUTC();
    }

    /** What the enrolment page shows: the secret (to type in) and the same as a QR code (data: URI). */
    public record Enrolment(String secret, String qrDataUri) {
    }

    /** True when the user has confirmed TOTP: their logins then ask for a code. */
    public boolean enabled(String username) {
        return jdbc.sql("""
                select count(*) from user_totp t join app_user u on u.id = t.user_id
                 where u.username = :u and t.confirmed_at is not null""")
                .param("u", username).query(Long.class).single() > 0;
    }

    /** A new pending secret (replacing any unconfirmed one); refused when TOTP is already on. */
    @Transactional
    public Enrolment start(String username) {
        UserEntity user = user(username);
        if (enabled(username)) {
            throw InvalidRequestException.of("code", "two-factor login is already on for this account",
                    "2fa.already-on");
        }
        String secret = new DefaultSecretGenerator(32).generate();
        jdbc.sql("""
                insert into user_totp (user_id, secret_sealed) values (:id, :s)
                on conflict (user_id) do update set secret_sealed = :s, created_at = now(), last_step = 0""")
                .param("id", user.getId()).param("s", cipher.seal(secret)).update();
        return new Enrolment(secret, qr(username, secret));
    }

    /** The pending enrolment again (the page reloaded), without changing the secret. */
    public Optional<Enrolment> pending(String username) {
        return sealedSecret(username, false).map(cipher::open).map(secret -> new Enrolment(secret, qr(username, secret)));
    }

    /**
     * Turns TOTP on once a first code from the app matches; answers the recovery codes, which are
     * shown this once and stored only as hashes.
     */
    @Transactional
    public List<String> confirm(String username, String code) {
        UserEntity user = user(username);
        String secret = sealedSecret(username, false).map(cipher::open).orElseThrow(() ->
                InvalidRequestException.of("code", "start the enrolment first: no pending secret",
                        "2fa.not-started"));
        long step = matchingStep(secret, code, 0).orElseThrow(() ->
                InvalidRequestException.of("code", "that code does not match: check the time on your phone and try again",
                        "2fa.code-mismatch"));
        jdbc.sql("update user_totp set confirmed_at = now(), last_step = :s where user_id = :id")
                .param("s", step).param("id", user.getId()).update();
        jdbc.sql("delete from user_recovery_code where user_id = :id").param("id", user.getId()).update();
        List<String> recovery = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String plain = recoveryCode();
            recovery.add(plain);
            jdbc.sql("insert into user_recovery_code (id, user_id, code_hash) values (:id, :u, :h)")
                    .param("id", UUID.randomUUID()).param("u", user.getId()).param("h", encoder.encode(plain.replace("-", ""))).update();
        }
        return recovery;
    }

    /**
     * The second step of a login: a current TOTP code not used before, or an unused recovery
     * code (then spent). The row lock makes two requests with one code take it once only.
     */
    @Transactional
    public boolean verify(String username, String rawCode) {
        String code = rawCode == null ? "" : rawCode.replaceAll("[\\s-]", "").toLowerCase();
        if (code.isEmpty() || code.length() > 32) {
            return false;
        }
        UserEntity user = user(username);
        Optional<TotpRow> row = jdbc.sql("""
                select secret_sealed, last_step from user_totp where user_id = :id and confirmed_at is not null
                   for update""").param("id", user.getId())
                .query((rs, n) -> new TotpRow(rs.getString(1), rs.getLong(2))).optional();
        if (row.isEmpty()) {
            return false;
        }
        if (code.matches("\\d{6}")) {
            Optional<Long> step = matchingStep(cipher.open(row.get().sealed()), code, row.get().lastStep());
            step.ifPresent(s -> jdbc.sql("update user_totp set last_step = :s where user_id = :id")
                    .param("s", s).param("id", user.getId()).update());
            return step.isPresent();
        }
        List<RecoveryRow> unused = jdbc.sql("select id, code_hash from user_recovery_code where user_id = :id and used_at is null")
                .param("id", user.getId()).query((rs, n) -> new RecoveryRow(rs.getObject(1, UUID.class), rs.getString(2))).list();
        for (RecoveryRow candidate : unused) {
            if (encoder.matches(code, candidate.hash())) {
                return jdbc.sql("update user_recovery_code set used_at = now() where id = :id and used_at is null")
                        .param("id", candidate.id()).update() == 1;
            }
        }
        return false;
    }

    /**
     * Turns TOTP off for a user: the secret (pending or confirmed) and the recovery codes are
     * deleted, so the next login asks for the password only. True when it was on.
     */
    @Transactional
    public boolean forget(UUID userId) {
        boolean wasOn = jdbc.sql("select count(*) from user_totp where user_id = :id and confirmed_at is not null")
                .param("id", userId).query(Long.class).single() > 0;
        jdbc.sql("delete from user_recovery_code where user_id = :id").param("id", userId).update();
        jdbc.sql("delete from user_totp where user_id = :id").param("id", userId).update();
        return wasOn;
    }

    /** How many recovery codes are left (the account page says so). */
    public long recoveryCodesLeft(String username) {
        return jdbc.sql("""
                select count(*) from user_recovery_code r join app_user u on u.id = r.user_id
                 where u.username = :u and r.used_at is null""").param("u", username).query(Long.class).single();
    }

    private record TotpRow(String sealed, long lastStep) {
    }

    private record RecoveryRow(UUID id, String hash) {
    }

    private Optional<String> sealedSecret(String username, boolean confirmed) {
        return jdbc.sql("select t.secret_sealed from user_totp t join app_user u on u.id = t.user_id"
                        + " where u.username = :u and (t.confirmed_at is not null) = :c")
                .param("u", username).param("c", confirmed).query(String.class).optional();
    }

    /** The 30 s step (now, or one either side) whose code is {@code code}, if later than {@code after}. */
    private Optional<Long> matchingStep(String secret, String code, long after) {
        if (code == null || !code.strip().matches("\\d{6}")) {
            return Optional.empty();
        }
        byte[] given = code.strip().getBytes(StandardCharsets.US_ASCII);
        long now = clock.millis() / 1000 / PERIOD;
        for (long step = now - 1; step <= now + 1; step++) {
            try {
                boolean same = MessageDigest.isEqual(given, codes.generate(secret, step).getBytes(StandardCharsets.US_ASCII));
                if (same && step > after) {
                    return Optional.of(step);
                }
            } catch (CodeGenerationException e) {
                throw new IllegalStateException("TOTP code generation failed", e);
            }
        }
        return Optional.empty();
    }

    private String qr(String username, String secret) {
        QrData data = new QrData.Builder().label(username).secret(secret).issuer(ISSUER)
                .algorithm(HashingAlgorithm.SHA1).digits(6).period(PERIOD).build();
        ZxingPngQrGenerator generator = new ZxingPngQrGenerator();
        try {
            return Utils.getDataUriForImage(generator.generate(data), generator.getImageMimeType());
        } catch (QrGenerationException e) {
            throw new IllegalStateException("QR code generation failed", e);
        }
    }

    /** Ten characters from an alphabet without look-alikes (about 49 bits), shown as xxxxx-xxxxx. */
    private String recoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                code.append('-');
            }
            code.append(RECOVERY_ALPHABET[random.nextInt(RECOVERY_ALPHABET.length)]);
        }
        return code.toString();
    }

    private UserEntity user(String username) {
        return users.findByUsername(username).orElseThrow(() -> NotFoundException.of("user", username));
    }
}
