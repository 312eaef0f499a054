package io.mamos.agent.execution;

import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The command each job workflow last sent this agent: while it runs, its latest progress and
 * whether the workflow asked to stop it; once it ended, its result, kept for a while. A workflow
 * whose command's heartbeats stopped reaching Temporal (Temporal, or the way to it, was down for
 * longer than the heartbeat timeout) collects the result from here instead of losing the run.
 * In memory only: an agent that restarted knows none, which is what the workflow must hear.
 */
final class CommandLedger {

    /** How long an ended command's result is kept for a workflow that has not collected it. */
    static final Duration RETENTION = Duration.ofMinutes(15);

    /** At most this many ended commands are kept, the oldest dropped first. */
    static final int MAX_ENDED = 1_000;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** Records a command starting for {@code workflowId}, replacing what that workflow sent before. */
    Entry started(String workflowId) {
        forgetOld();
        Entry entry = new Entry();
        entries.put(workflowId, entry);
        return entry;
    }

    Optional<Entry> find(String workflowId) {
        return Optional.ofNullable(entries.get(workflowId));
    }

    private void forgetOld() {
        long now = System.nanoTime();
        entries.values().removeIf(e -> e.outcome.isDone() && now - e.endedNanos > RETENTION.toNanos());
        long ended = entries.values().stream().filter(e -> e.outcome.isDone()).count();
        if (ended > MAX_ENDED) {
            entries.entrySet().stream()
                    .filter(e -> e.getValue().outcome.isDone())
                    .sorted(Comparator.comparingLong(e -> e.getValue().endedNanos))
                    .limit(ended - MAX_ENDED)
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(entries::remove);
        }
    }

    /** One command: its outcome (a result, or the failure it ended with) once it ends. */
    static final class Entry {
        final CompletableFuture<CommandResult> outcome = new CompletableFuture<>();
        volatile CommandProgress progress;
        volatile boolean stopRequested;
        /** Set once the SDK gave up on reaching Temporal with this command's heartbeats. */
        volatile boolean unreachable;
        private volatile long endedNanos;

        void ended(CommandResult result) {
            endedNanos = System.nanoTime();
            outcome.complete(result);
        }

        void failed(RuntimeException failure) {
            endedNanos = System.nanoTime();
            outcome.completeExceptionally(failure);
        }
    }
}
