package org.lodge.provisioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * One-time console tickets in PostgreSQL, so any portal instance and the node's gateway can spend
 * them: 32 random bytes (URL-safe base64), bound to a user, a unit and a {@link Purpose}. Only a
 * SHA-256 of the token is stored (a database reader learns nothing usable). Spending deletes the
 * row with {@code DELETE ... RETURNING} whatever the outcome, so a token is spent by its first
 * presentation, right or wrong, even with two presentations at once.
 */
@Component
public class ConsoleTickets {

    /** What a token opens, and for how long. */
    public enum Purpose {
        /** In the console page, spent by the portal's WebSocket handshake. */
        PAGE(Duration.ofSeconds(30)),
        /** Never leaves the portal: it opens the unit's console at the node's gateway. */
        GATEWAY(Duration.ofSeconds(10));

        private final Duration lifetime;

        Purpose(Duration lifetime) {
            this.lifetime = lifetime;
        }

        public Duration lifetime() {
            return lifetime;
        }
    }

    public record Ticket(String username, UUID unitId) {
    }

    private final SecureRandom random = new SecureRandom();
    private final JdbcClient jdbc;
    private final Clock clock;

    @Autowired
    public ConsoleTickets(JdbcClient jdbc) {
        this(jdbc, Clock.systemUTC());
    }

    public ConsoleTickets(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String issue(String username, UUID unitId, Purpose purpose) {
        Instant now = clock.instant();
        jdbc.sql("delete from console_ticket where expires_at <= :now").param("now", Timestamp.from(now)).update();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        jdbc.sql("insert into console_ticket (token_hash, purpose, username, unit_id, expires_at) "
                        + "values (:hash, :purpose, :user, :unit, :expires)")
                .param("hash", hash(token)).param("purpose", purpose.name()).param("user", username)
                .param("unit", unitId).param("expires", Timestamp.from(now.plus(purpose.lifetime()))).update();
        return token;
    }

    /** Spends the token (it is gone after this call) and gives what it was issued for, if still valid. */
    public Optional<Ticket> spend(String token, Purpose purpose) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return jdbc.sql("delete from console_ticket where token_hash = :hash returning purpose, username, unit_id, expires_at")
                .param("hash", hash(token))
                .query((rs, row) -> new Spent(rs.getString("purpose"), rs.getTimestamp("expires_at").toInstant(),
                        new Ticket(rs.getString("username"), rs.getObject("unit_id", UUID.class))))
                .optional()
                .filter(spent -> spent.purpose().equals(purpose.name()) && spent.expires().isAfter(now))
                .map(Spent::ticket);
    }

    private record Spent(String purpose, Instant expires, Ticket ticket) {
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
