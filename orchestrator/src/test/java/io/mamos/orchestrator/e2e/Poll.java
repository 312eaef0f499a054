package io.mamos.orchestrator.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls a probe until its value satisfies a condition or a deadline passes; no fixed sleeps. */
final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(250);

    private Poll() {
    }

    /**
     * Returns the first value of {@code probe} that satisfies {@code done}. A probe that throws
     * counts as "not yet" (the server may still be starting). On timeout the assertion error
     * names what was awaited and the last value or failure seen.
     */
    static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = "nothing yet";
        while (true) {
            try {
                T value = probe.get();
                if (done.test(value)) {
                    return value;
                }
                last = value;
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError error = new AssertionError(
                        "timed out after " + timeout.toSeconds() + "s waiting for " + what + "; last seen: " + last);
                if (last instanceof Throwable cause) {
                    error.initCause(cause);
                }
                throw error;
            }
            sleep(INTERVAL);
        }
    }

    /** Waits until {@code condition} holds. */
    static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        until(what, timeout, condition, Boolean.TRUE::equals);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
