package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Wake-ups from the orchestrator's live feed ({@code /ws/events}) for one job: the feed says
 * "job X changed" (its runs' progress included) and the follower re-reads the job through the
 * REST API. Without the feed (a proxy that drops WebSockets) the follower still polls, only later.
 */
final class LiveFeed implements AutoCloseable {

    private final Semaphore changed = new Semaphore(0);
    private final String jobId;
    private volatile WebSocket socket;

    private LiveFeed(String jobId) {
        this.jobId = jobId;
    }

    /** Connects with a one-time ticket; null when the feed cannot be had (polling remains). */
    static LiveFeed open(Api api, String jobId) {
        LiveFeed feed = new LiveFeed(jobId);
        try {
            JsonNode ticket = api.post("/api/v1/live/tickets", null);
            String path = ticket.path("path").asText("/ws/events");
            URI uri = URI.create(api.server().replaceFirst("^http", "ws") + path + "?ticket="
                    + URLEncoder.encode(ticket.path("ticket").asText(), StandardCharsets.UTF_8));
            feed.socket = api.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(uri, feed.new Listener()).get(15, TimeUnit.SECONDS);
            return feed;
        } catch (CliException | IllegalArgumentException | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until the job changes, {@code timeout} passes or {@link #wake()} is called. */
    void await(Duration timeout) throws InterruptedException {
        changed.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        changed.drainPermits();
    }

    void wake() {
        changed.release();
    }

    @Override
    public void close() {
        WebSocket open = socket;
        if (open != null) {
            open.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
            open.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode event = Api.JSON.readTree(message.toString());
                    if ("job".equals(event.path("type").asText()) && jobId.equals(event.path("id").asText())) {
                        changed.release();
                    }
                } catch (IOException ignored) {
                    // Not an event of ours; the next poll catches up anyway.
                }
                message.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
