package io.mamos.orchestrator.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sliding-window limit on failed attempts per key (a client address, a user name): once {@code limit}
 * failures fall within {@code window}, further attempts are refused with 429 until the oldest
 * failure leaves the window. Successful attempts are not counted, so legitimate use (many agents
 * enrolling with valid tokens) is never slowed; guessing is. In memory, per orchestrator.
 */
public class RateLimiter {

    private static final int MAX_TRACKED_KEYS = 10_000;

    private final String what;
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    /** @param what what is counted, for the refusal: {@code failed login attempts from this address} */
    public RateLimiter(String what, int limit, Duration window, Clock clock) {
        this.what = what;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Refuses with 429 (and the seconds to wait) while {@code key} has too many recent failures. */
    public void check(String key) {
        Deque<Long> recent = failures.get(normalize(key));
        if (recent == null) {
            return;
        }
        long horizon = clock.millis() - window.toMillis();
        synchronized (recent) {
            prune(recent, horizon);
            if (recent.size() >= limit) {
                long retryAfter = Math.max(1, (recent.peekFirst() - horizon + 999) / 1000);
                throw new TooManyRequestsException(what, retryAfter);
            }
        }
    }

    public void recordFailure(String key) {
        long now = clock.millis();
        Deque<Long> recent = failures.computeIfAbsent(normalize(key), k -> new ArrayDeque<>());
        synchronized (recent) {
            prune(recent, now - window.toMillis());
            recent.addLast(now);
        }
        if (failures.size() > MAX_TRACKED_KEYS) {
            long horizon = now - window.toMillis();
            failures.values().removeIf(deque -> {
                synchronized (deque) {
                    prune(deque, horizon);
                    return deque.isEmpty();
                }
            });
        }
    }

    private static void prune(Deque<Long> recent, long horizon) {
        while (!recent.isEmpty() && recent.peekFirst() <= horizon) {
            recent.pollFirst();
        }
    }

    private static String normalize(String key) {
        return key == null ? "unknown" : key;
    }
}
