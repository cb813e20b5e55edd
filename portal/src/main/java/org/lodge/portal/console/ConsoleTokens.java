package org.lodge.portal.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lodge.provisioning.ConsoleEndpoint;
import org.springframework.stereotype.Component;

/**
 * One-time console tickets: random, short-lived, bound to the user they were issued to and to
 * the VM's endpoint. Kept in this portal's memory: the page that issues a ticket and the
 * WebSocket that spends it reach the same instance (sticky sessions behind a load balancer).
 */
@Component
public class ConsoleTokens {

    static final Duration LIFETIME = Duration.ofSeconds(30);

    record Ticket(String username, ConsoleEndpoint endpoint, Instant expires) {
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    public String issue(String username, ConsoleEndpoint endpoint) {
        Instant now = clock.instant();
        tickets.values().removeIf(ticket -> ticket.expires().isBefore(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tickets.put(token, new Ticket(username, endpoint, now.plus(LIFETIME)));
        return token;
    }

    /** Spends the ticket: it is gone after this call, whatever the answer. */
    public Optional<ConsoleEndpoint> redeem(String token, String username) {
        Ticket ticket = token == null ? null : tickets.remove(token);
        if (ticket == null || ticket.expires().isBefore(clock.instant()) || !ticket.username().equals(username)) {
            return Optional.empty();
        }
        return Optional.of(ticket.endpoint());
    }
}
