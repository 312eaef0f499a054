package io.mamos.agent.execution;

import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Every command attempt this agent process accepted, by the workflow that sent it and the
 * attempt's number: recorded the moment the task reaches the agent, before anything else (signature,
 * nonce, process start) happens. While the command runs: its latest progress and whether the
 * workflow asked to stop it; once it ended, its result, kept for a while, and after that a
 * tombstone saying how it ended, without its output. A workflow whose command's heartbeats stopped
 * reaching Temporal collects the result from here instead of losing the run.
 *
 * <p>In memory only: an agent that restarted knows none, and says how long it has been up, which
 * is what lets the workflow tell "restarted since" from "never received". An attempt the
 * workflow asked for and this agent had no record of is marked given up: should its task still
 * arrive (late), it is refused, never run, because the workflow already decided without it.
 */
final class CommandLedger {

    /** How long an ended command's full result is kept for a workflow that has not collected it. */
    static final Duration RETENTION = Duration.ofMinutes(15);

    /** At most this many ended commands keep their full result, the oldest dropped to a tombstone first. */
    static final int MAX_ENDED = 1_000;

    /** At most this many tombstones (and given-up marks) are kept, the oldest forgotten first. */
    static final int MAX_TOMBSTONES = 50_000;

    /** One command attempt: the workflow that sent it (from Temporal, not the invocation) and the attempt number. */
    record Key(String workflowId, int attempt) {
    }

    /** What the ledger knows of one attempt. */
    sealed interface Lookup {
    }

    /** Accepted and still running, or ended with its result kept. */
    record Known(Entry entry) implements Lookup {
    }

    /** Accepted, ended, and its output dropped: {@code result} has none (or it ended with {@code failure}). */
    record Tombstone(CommandResult result, RuntimeException failure) implements Lookup {
    }

    /** Never accepted by this process, as far back as it remembers. */
    record Unknown(long upForMillis, long remembersForMillis) implements Lookup {
    }

    /** A random id of this agent process, new at each start. */
    final String incarnation = UUID.randomUUID().toString();

    private final int maxEnded;
    private final int maxTombstones;

    private final long startedNanos = System.nanoTime();
    /** Guarded by {@code this}, like the maps below. */
    private long forgottenThroughNanos = startedNanos;
    private final Map<Key, Entry> entries = new HashMap<>();
    /** Insertion order: oldest first. */
    private final LinkedHashMap<Key, Tombstone> tombstones = new LinkedHashMap<>();
    private final LinkedHashMap<Key, Long> givenUp = new LinkedHashMap<>();

    CommandLedger() {
        this(MAX_ENDED, MAX_TOMBSTONES);
    }

    /** With other bounds, for tests. */
    CommandLedger(int maxEnded, int maxTombstones) {
        this.maxEnded = maxEnded;
        this.maxTombstones = maxTombstones;
    }

    /**
     * Records an attempt's task as accepted, replacing what the same key had (a second task with
     * it is a replay, which the nonce check then refuses); empty if the workflow already gave this
     * attempt up.
     */
    synchronized Optional<Entry> accept(Key key) {
        forgetOld();
        if (givenUp.containsKey(key)) {
            return Optional.empty();
        }
        Entry entry = new Entry();
        entries.put(key, entry);
        tombstones.remove(key);
        return Optional.of(entry);
    }

    /**
     * What this process knows of {@code key}; attempt 0 (a workflow that does not say) means the
     * workflow's latest attempt. An unknown attempt is marked given up, so its task, should it still
     * arrive, is refused.
     */
    synchronized Lookup lookup(Key key) {
        forgetOld();
        Key found = key.attempt() > 0 ? key : latestAttempt(key.workflowId());
        Entry entry = entries.get(found);
        if (entry != null) {
            return new Known(entry);
        }
        Tombstone tombstone = tombstones.get(found);
        if (tombstone != null) {
            return tombstone;
        }
        long now = System.nanoTime();
        if (key.attempt() > 0) {
            givenUp.put(key, now);
            trim(givenUp);
        }
        return new Unknown(TimeUnit.NANOSECONDS.toMillis(now - startedNanos),
                TimeUnit.NANOSECONDS.toMillis(now - forgottenThroughNanos));
    }

    private Key latestAttempt(String workflowId) {
        Key latest = new Key(workflowId, 0);
        for (Key candidate : entries.keySet()) {
            if (candidate.workflowId().equals(workflowId) && candidate.attempt() > latest.attempt()) {
                latest = candidate;
            }
        }
        for (Key candidate : tombstones.keySet()) {
            if (candidate.workflowId().equals(workflowId) && candidate.attempt() > latest.attempt()) {
                latest = candidate;
            }
        }
        return latest;
    }

    /** Ended commands past their retention, or beyond {@link #MAX_ENDED}, leave a tombstone. */
    private void forgetOld() {
        long now = System.nanoTime();
        Iterator<Map.Entry<Key, Entry>> all = entries.entrySet().iterator();
        long ended = 0;
        while (all.hasNext()) {
            Map.Entry<Key, Entry> next = all.next();
            Entry entry = next.getValue();
            if (!entry.outcome.isDone()) {
                continue;
            }
            if (now - entry.endedNanos > RETENTION.toNanos()) {
                bury(next.getKey(), entry);
                all.remove();
            } else {
                ended++;
            }
        }
        if (ended > maxEnded) {
            entries.entrySet().stream()
                    .filter(e -> e.getValue().outcome.isDone())
                    .sorted(Comparator.comparingLong(e -> e.getValue().endedNanos))
                    .limit(ended - maxEnded)
                    .toList()
                    .forEach(e -> {
                        bury(e.getKey(), e.getValue());
                        entries.remove(e.getKey());
                    });
        }
    }

    private void bury(Key key, Entry entry) {
        CommandResult result = entry.outcome.getNow(null);
        tombstones.put(key, result != null
                ? new Tombstone(new CommandResult(result.exitCode(), "", "", true, result.timedOut(),
                        result.startedAtMillis(), result.finishedAtMillis()), null)
                : new Tombstone(null, entry.failure));
        while (tombstones.size() > maxTombstones) {
            Iterator<Map.Entry<Key, Tombstone>> oldest = tombstones.entrySet().iterator();
            oldest.next();
            oldest.remove();
            // Everything accepted up to now may be among what is forgotten: from here on, the
            // ledger vouches only for commands accepted later.
            forgottenThroughNanos = System.nanoTime();
        }
    }

    private <V> void trim(LinkedHashMap<Key, V> map) {
        while (map.size() > maxTombstones) {
            Iterator<Key> oldest = map.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** One command: its outcome (a result, or the failure it ended with) once it ends. */
    static final class Entry {
        final CompletableFuture<CommandResult> outcome = new CompletableFuture<>();
        volatile CommandProgress progress;
        /** Why the command must stop (its job was cancelled, the agent shuts down), or null while it may run. */
        volatile String stopReason;
        private volatile long endedNanos;
        private volatile RuntimeException failure;

        void ended(CommandResult result) {
            endedNanos = System.nanoTime();
            outcome.complete(result);
        }

        void failed(RuntimeException failure) {
            endedNanos = System.nanoTime();
            this.failure = failure;
            outcome.completeExceptionally(failure);
        }

        void stop(String reason) {
            if (stopReason == null) {
                stopReason = reason;
            }
        }
    }
}
