package io.mamos.orchestrator.live;

import io.mamos.orchestrator.agent.AgentChanged;
import io.mamos.orchestrator.job.JobChanged;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes "this changed" events to connected clients: {@code {"type":"job","id":"..."}} and
 * {@code {"type":"agent","id":"..."}} and {@code {"type":"schedule","id":"..."}}; a job's event
 * also announces changes of its runs. Clients re-read what changed through the REST API, which
 * applies their permissions; the feed itself carries no data beyond ids.
 */
@Component
class LiveEvents extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(LiveEvents.class);
    /** A slow client gets this long and this much buffer before it is dropped. */
    private static final int SEND_TIME_LIMIT_MS = 5_000;
    private static final int BUFFER_LIMIT_BYTES = 512 * 1024;

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private final JsonMapper json;
    /**
     * Changes waiting to be sent, each once however often it changed meanwhile (clients fetch
     * the current state of what an event names). Whoever reports a change (workflow and activity
     * threads, request threads) only adds to it; the broadcaster thread sends, so a slow browser
     * never holds up a workflow.
     */
    private final Set<Event> pending = new LinkedHashSet<>();
    private final Thread broadcaster;

    LiveEvents(JsonMapper json) {
        this.json = json;
        this.broadcaster = new Thread(this::broadcastPending, "live-broadcast");
        broadcaster.setDaemon(true);
        broadcaster.start();
    }

    @PreDestroy
    void stop() {
        broadcaster.interrupt();
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        sessions.add(new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MS, BUFFER_LIMIT_BYTES));
        log.debug("live client connected: {}", session.getAttributes().get(LiveConfig.USER_ATTRIBUTE));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        sessions.removeIf(open -> open.getId().equals(session.getId()));
    }

    @EventListener
    void onJobChanged(JobChanged event) {
        broadcast(new Event("job", event.jobId()));
    }

    @EventListener
    void onAgentChanged(AgentChanged event) {
        broadcast(new Event("agent", event.agentId()));
    }

    @EventListener
    void onScheduleChanged(io.mamos.orchestrator.schedule.ScheduleChanged event) {
        broadcast(new Event("schedule", event.scheduleId()));
    }

    int connectedClients() {
        return sessions.size();
    }

    /** Queues the event for the broadcaster thread; never waits on a client. */
    private void broadcast(Event event) {
        if (sessions.isEmpty()) {
            return;
        }
        synchronized (pending) {
            if (pending.add(event)) {
                pending.notifyAll();
            }
        }
    }

    private void broadcastPending() {
        while (!Thread.currentThread().isInterrupted()) {
            Event next;
            synchronized (pending) {
                while (pending.isEmpty()) {
                    try {
                        pending.wait();
                    } catch (InterruptedException stopped) {
                        return;
                    }
                }
                var first = pending.iterator();
                next = first.next();
                first.remove();
            }
            try {
                send(next);
            } catch (RuntimeException e) {
                log.warn("live feed: could not send {} {}: {}", next.type(), next.id(), e.toString());
            }
        }
    }

    /**
     * Sends to every client. A client still busy with an earlier message has this one buffered by
     * its decorator, which drops it past {@value #SEND_TIME_LIMIT_MS} ms or {@value #BUFFER_LIMIT_BYTES} bytes.
     */
    private void send(Event event) {
        var message = new TextMessage(json.writeValueAsString(event));
        for (WebSocketSession session : sessions) {
            try {
                session.sendMessage(message);
            } catch (IOException | IllegalStateException e) {
                sessions.remove(session);
                log.debug("dropped live client {}: {}", session.getId(), e.toString());
            }
        }
    }

    record Event(String type, String id) {
    }
}
