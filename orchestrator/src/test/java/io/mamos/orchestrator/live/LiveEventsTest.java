package io.mamos.orchestrator.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mamos.orchestrator.job.JobChanged;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live feed never makes whoever reports a change wait for a client: workflow and activity
 * threads report job changes, and a browser on a slow link must not hold them up. The session
 * here is a stand-in whose sends block until the test lets them go, as a full socket would.
 */
class LiveEventsTest {

    private final LiveEvents live = new LiveEvents(JsonMapper.builder().build());
    private final CountDownLatch clientReads = new CountDownLatch(1);
    private final List<String> received = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        clientReads.countDown();
        live.stop();
    }

    @Test
    void reportingChangesNeverWaitsForAStuckClientAndEachPendingChangeIsSentOnce() throws Exception {
        live.afterConnectionEstablished(session("slow"));

        // The first change's send blocks in the client's socket; a thousand more must not wait for it.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int i = 0; i < 1_000; i++) {
                live.onJobChanged(new JobChanged("job-" + (i % 10)));
            }
        });
        assertThat(received).as("sent while the client is stuck").isEmpty();

        clientReads.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // Ten jobs changed: each is announced, and at most once more than the send already under way.
        assertThat(received).hasSizeBetween(10, 11);
        assertThat(received.stream().distinct()).hasSize(10);
    }

    /** A session whose every send blocks until {@link #clientReads} opens, then records the message. */
    private WebSocketSession session(String id) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        return (WebSocketSession) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {WebSocketSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getId" -> id;
                    case "isOpen" -> true;
                    case "getAttributes" -> attributes;
                    case "sendMessage" -> {
                        clientReads.await();
                        received.add(((TextMessage) (WebSocketMessage<?>) args[0]).getPayload());
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "session " + id;
                    default -> null;
                });
    }
}
