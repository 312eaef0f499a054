package io.mamos.orchestrator.live;

import io.mamos.orchestrator.config.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Browsers cannot put a bearer token on a WebSocket handshake, so an authenticated client first
 * trades its JWT for a ticket: single use, valid for {@link #TTL}, held in memory only.
 */
@Component
class LiveTickets {

    static final Duration TTL = Duration.ofSeconds(30);

    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    private final Clock clock = Clock.systemUTC();

    Ticket issue(String username) {
        Instant now = clock.instant();
        tickets.values().removeIf(ticket -> ticket.expiresAt().isBefore(now));
        var ticket = new Ticket(Secrets.generate("mamos_ws_"), username, now.plus(TTL));
        tickets.put(ticket.value(), ticket);
        return ticket;
    }

    /** Spends the ticket: it is removed whether or not it was still valid. */
    Optional<String> redeem(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Ticket ticket = tickets.remove(value);
        if (ticket == null || ticket.expiresAt().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(ticket.username());
    }

    record Ticket(String value, String username, Instant expiresAt) {
    }
}
