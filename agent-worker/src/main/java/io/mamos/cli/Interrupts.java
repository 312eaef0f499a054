package io.mamos.cli;

import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * Ctrl-C while following a job: instead of dying (and leaving the job running unseen), the
 * follower is told and asks what to do. Counted, so a second Ctrl-C can mean "now, really".
 */
final class Interrupts {

    private final AtomicInteger pending = new AtomicInteger();
    private volatile Runnable onInterrupt = () -> { };

    /** Takes over SIGINT for the rest of this process. */
    static Interrupts install() {
        Interrupts interrupts = new Interrupts();
        try {
            Signal.handle(new Signal("INT"), signal -> {
                interrupts.pending.incrementAndGet();
                interrupts.onInterrupt.run();
            });
        } catch (IllegalArgumentException unsupported) {
            // No SIGINT here (an unusual JVM): Ctrl-C keeps its default meaning.
        }
        return interrupts;
    }

    /** Called from the signal's thread, e.g. to wake a waiting follower. */
    void onInterrupt(Runnable action) {
        onInterrupt = action;
    }

    /** How many Ctrl-Cs arrived since the last call. */
    int take() {
        return pending.getAndSet(0);
    }
}
