package io.mamos.orchestrator.live;

import io.mamos.orchestrator.config.MamosProperties;
import java.util.Map;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.util.UriComponentsBuilder;

/** {@code /ws/events}: the live feed, opened with a one-time ticket from {@code POST /api/v1/live/tickets}. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
public class LiveConfig implements WebSocketConfigurer {

    public static final String PATH = "/ws/events";
    static final String USER_ATTRIBUTE = "mamos.user";

    private final LiveEvents events;
    private final LiveTickets tickets;
    private final MamosProperties properties;

    LiveConfig(LiveEvents events, LiveTickets tickets, MamosProperties properties) {
        this.events = events;
        this.tickets = tickets;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(events, PATH)
                .addInterceptors(new TicketCheck())
                .setAllowedOriginPatterns(properties.live().allowedOrigins().toArray(String[]::new));
    }

    private final class TicketCheck implements HandshakeInterceptor {

        @Override
        public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
                WebSocketHandler handler, Map<String, Object> attributes) {
            String ticket = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("ticket");
            var user = tickets.redeem(ticket);
            if (user.isEmpty()) {
                response.setStatusCode(HttpStatus.UNAUTHORIZED);
                return false;
            }
            attributes.put(USER_ATTRIBUTE, user.get());
            return true;
        }

        @Override
        public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                Exception exception) {
        }
    }
}
