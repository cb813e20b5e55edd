package org.lodge.portal.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.lodge.provisioning.InvalidInputException;
import org.lodge.provisioning.InvalidRequestException;
import org.lodge.provisioning.NotFoundException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Personal API tokens: {@value #PREFIX} followed by 256 random bits in URL-safe Base64, shown
 * once; the database keeps only their SHA-256, so a leaked table opens nothing. Each has a name,
 * a scope (read-only or full), an expiry, and can be revoked; its last use is recorded (at most
 * once a minute, so a busy client does not write on every call).
 */
@Service
public class ApiTokens {

    public static final String PREFIX = "lodge_";
    public static final int MAX_DAYS = 365;
    public static final int MAX_ACTIVE_PER_USER = 20;
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]{43}");
    private static final Duration LAST_USE_GRAIN = Duration.ofMinutes(1);

    /** A token as its owner sees it in the list: never the token itself. */
    public record TokenView(UUID id, String name, boolean readOnly, Instant createdAt, Instant expiresAt,
                            Instant revokedAt, Instant lastUsedAt, String lastUsedFrom) {
        private static final java.time.format.DateTimeFormatter SHOWN =
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

        public String createdShown() {
            return SHOWN.format(createdAt);
        }

        public String expiresShown() {
            return SHOWN.format(expiresAt);
        }

        public String lastUsedShown() {
            return lastUsedAt == null ? "never" : SHOWN.format(lastUsedAt) + " from " + lastUsedFrom;
        }

        public String status() {
            return revokedAt != null ? "revoked" : expiresAt.isBefore(Instant.now()) ? "expired" : "active";
        }
    }

    /** A token just made: the only time its secret exists outside the client. */
    public record Issued(TokenView token, String secret) {
        @Override
        public String toString() {
            return "Issued[" + token + ", secret=***]";
        }
    }

    /** Whose a presented token is, and what it may do. */
    public record Holder(UUID tokenId, String username, boolean readOnly) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    public ApiTokens(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    public Issued create(String username, String name, boolean readOnly, int days, String remote) {
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 64 || clean.chars().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.of("name", "a token name has 1 to 64 printable characters",
                    "token.name.length");
        }
        if (days < 1 || days > MAX_DAYS) {
            throw InvalidRequestException.of("days", "a token lasts 1 to " + MAX_DAYS + " days", "token.days", MAX_DAYS);
        }
        UUID userId = userId(username);
        int active = jdbc.sql("select count(*) from api_token where user_id = :u and revoked_at is null and expires_at > now()")
                .param("u", userId).query(Integer.class).single();
        if (active >= MAX_ACTIVE_PER_USER) {
            throw InvalidRequestException.of("name", "you have " + active + " tokens in force, the most allowed:"
                    + " revoke one first", "token.too-many", active);
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UUID id = UUID.randomUUID();
        Instant now = Instant.now();
        try {
            jdbc.sql("""
                    insert into api_token (id, user_id, name, token_sha256, read_only, created_at, expires_at)
                    values (:id, :u, :n, :h, :ro, :c, :e)""")
                    .param("id", id).param("u", userId).param("n", clean).param("h", sha256(secret)).param("ro", readOnly)
                    .param("c", Timestamp.from(now)).param("e", Timestamp.from(now.plus(Duration.ofDays(days)))).update();
        } catch (DuplicateKeyException e) {
            throw InvalidRequestException.of("name", "you already have a token named "
                    + InvalidInputException.quote(clean) + ": revoke it or choose another name", "token.name.taken",
                    InvalidInputException.quote(clean));
        }
        audit.account(username, AuditLog.TOKEN_CREATED, "API token '" + clean + "' (" + id + ", "
                + (readOnly ? "read-only" : "full") + ", " + days + " days) created", remote);
        return new Issued(find(userId, id).orElseThrow(), secret);
    }

    public List<TokenView> list(String username) {
        return jdbc.sql(SELECT + " where user_id = :u order by revoked_at is not null, created_at desc")
                .param("u", userId(username)).query(ApiTokens::view).list();
    }

    /** Revokes one of the user's own tokens; another user's token is not found. */
    public void revoke(String username, UUID tokenId, String remote) {
        int changed = jdbc.sql("update api_token set revoked_at = now() where id = :id and user_id = :u and revoked_at is null")
                .param("id", tokenId).param("u", userId(username)).update();
        if (changed == 0 && find(userId(username), tokenId).isEmpty()) {
            throw NotFoundException.of("token", tokenId);
        }
        if (changed == 1) {
            audit.account(username, AuditLog.TOKEN_REVOKED, "API token " + tokenId + " revoked", remote);
        }
    }

    /** The holder of a presented token if it is known, in force and not revoked. */
    public Optional<Holder> authenticate(String presented, String remote) {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return Optional.empty();
        }
        String from = remote == null ? null : remote.substring(0, Math.min(64, remote.length()));
        Instant before = Instant.now().minus(LAST_USE_GRAIN);
        // The last use is read with the token and written only when it is due (once a minute, or
        // from another address): most calls then cost one statement, not two.
        Optional<Found> found = jdbc.sql("""
                select t.id, u.username, t.read_only, t.last_used_at, t.last_used_from
                  from api_token t join app_user u on u.id = t.user_id
                 where t.token_sha256 = :h and t.revoked_at is null and t.expires_at > now()""")
                .param("h", sha256(presented))
                .query((rs, n) -> {
                    Timestamp used = rs.getTimestamp("last_used_at");
                    return new Found(new Holder(rs.getObject("id", UUID.class), rs.getString("username"),
                            rs.getBoolean("read_only")), used == null || used.toInstant().isBefore(before)
                            || !java.util.Objects.equals(from, rs.getString("last_used_from")));
                }).optional();
        found.filter(Found::lastUseDue).map(Found::holder).ifPresent(h -> jdbc.sql("""
                update api_token set last_used_at = now(), last_used_from = :r
                 where id = :id and (last_used_at is null or last_used_at < :before or last_used_from is distinct from :r)""")
                .param("id", h.tokenId()).param("r", from).param("before", Timestamp.from(before)).update());
        return found.map(Found::holder);
    }

    /** A token in force, and whether its last use is due to be written. */
    private record Found(Holder holder, boolean lastUseDue) {
    }

    private Optional<TokenView> find(UUID userId, UUID id) {
        return jdbc.sql(SELECT + " where user_id = :u and id = :id").param("u", userId).param("id", id)
                .query(ApiTokens::view).optional();
    }

    private UUID userId(String username) {
        return jdbc.sql("select id from app_user where username = :n").param("n", username).query(UUID.class).optional()
                .orElseThrow(() -> NotFoundException.of("user", username));
    }

    private static final String SELECT = "select id, name, read_only, created_at, expires_at, revoked_at, last_used_at,"
            + " last_used_from from api_token";

    private static TokenView view(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new TokenView(rs.getObject("id", UUID.class), rs.getString("name"), rs.getBoolean("read_only"),
                instant(rs.getTimestamp("created_at")), instant(rs.getTimestamp("expires_at")),
                instant(rs.getTimestamp("revoked_at")), instant(rs.getTimestamp("last_used_at")),
                rs.getString("last_used_from"));
    }

    private static Instant instant(Timestamp at) {
        return at == null ? null : at.toInstant();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
