package org.lodge.portal.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * One-time console tickets: 32 random bytes (URL-safe base64), valid {@link #LIFETIME} to open the
 * WebSocket, bound to the user they were issued to and to one VM. Redeeming removes the ticket
 * whatever the outcome, so a ticket is spent by its first presentation, right or wrong.
 *
 * <p>Kept in this portal instance's memory: the page that issues a ticket and the WebSocket that
 * spends it reach the same instance in the all-in-one setup. With several portal instances behind
 * a load balancer (and no sticky sessions) the tickets belong in PostgreSQL instead, a table
 * {@code console_ticket(token_hash, username, unit_id, expires)} whose row the handshake deletes
 * with {@code DELETE ... RETURNING}, which keeps them one-time across instances.
 */
@Component
public class ConsoleTokens {

    static final Duration LIFETIME = Duration.ofSeconds(30);

    private record Ticket(String username, UUID unitId, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final Clock clock;

    public ConsoleTokens() {
        this(Clock.systemUTC());
    }

    ConsoleTokens(Clock clock) {
        this.clock = clock;
    }

    public String issue(String username, UUID unitId) {
        Instant now = clock.instant();
        tickets.values().removeIf(ticket -> !ticket.expires().isAfter(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tickets.put(token, new Ticket(username, unitId, now.plus(LIFETIME)));
        return token;
    }

    /**
     * Spends the ticket (it is gone after this call, whatever the answer) and gives the VM it was
     * issued for, if it is still valid and {@code username} is the user it was issued to.
     */
    public Optional<UUID> redeem(String token, String username) {
        Ticket ticket = token == null ? null : tickets.remove(token);
        if (ticket == null || !ticket.expires().isAfter(clock.instant()) || !ticket.username().equals(username)) {
            return Optional.empty();
        }
        return Optional.of(ticket.unitId());
    }
}
