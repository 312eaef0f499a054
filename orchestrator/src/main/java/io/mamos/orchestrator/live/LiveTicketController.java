package io.mamos.orchestrator.live;

import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LiveTicketController {

    private final LiveTickets tickets;

    LiveTicketController(LiveTickets tickets) {
        this.tickets = tickets;
    }

    /** A one-time ticket for {@code GET /ws/events?ticket=...}. */
    @PostMapping("/api/v1/live/tickets")
    @ResponseStatus(HttpStatus.CREATED)
    TicketResponse issue(Authentication user) {
        var ticket = tickets.issue(user.getName());
        return new TicketResponse(ticket.value(), ticket.expiresAt(), LiveConfig.PATH);
    }

    record TicketResponse(String ticket, Instant expiresAt, String path) {
    }
}
