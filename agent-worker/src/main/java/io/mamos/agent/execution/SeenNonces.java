package io.mamos.agent.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The nonces of every command this agent accepted, each kept until its invocation can no longer
 * be accepted anyway (expiry plus clock skew). Persisted, one {@code <keepUntilMillis> <nonce>}
 * line each, appended and flushed to disk before the command runs, so a restart does not reopen a
 * replay window; expired entries are dropped when the file is loaded and when it is compacted.
 *
 * <p>Concurrent claims share their disk flushes (group commit): while one thread writes and
 * flushes the lines claimed so far, the claims arriving meanwhile gather in the next batch, which
 * one of them then writes with a single flush. A claim still returns only once its own line is on
 * disk, but a burst of commands costs one flush per batch instead of one file open and flush per
 * command, each queued behind the one before.
 */
public final class SeenNonces {

    /** Nonces are UUIDs; anything else is refused before it reaches the file. */
    static final Pattern NONCE = Pattern.compile("[A-Za-z0-9-]{8,64}");

    /** The file is rewritten with live entries only once this many lines were appended since the last time. */
    private static final int COMPACT_AFTER = 1024;

    private final Path file;
    private final Clock clock;
    /** Guards every field below; never held while writing to the disk. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition flushed = lock.newCondition();
    private final Map<String, Long> keepUntil = new HashMap<>();
    private int appendedSinceCompaction;
    /** The claims waiting for the next flush. */
    private Batch open = new Batch();
    /** Whether a thread is writing a batch now. */
    private boolean flushing;
    /** Only touched by the flushing thread; reopened after a compaction replaced the file. */
    private FileChannel channel;

    private SeenNonces(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** Loads (or starts) the store in {@code file}, created owner-only. */
    public static SeenNonces open(Path file, Clock clock) {
        SeenNonces nonces = new SeenNonces(file, clock);
        nonces.load();
        return nonces;
    }

    /** Kept in memory only, for simulated agents that have no data folder. */
    public static SeenNonces inMemory(Clock clock) {
        return new SeenNonces(null, clock);
    }

    /**
     * Records {@code nonce} as used until {@code keepUntilMillis}; false if it was already used
     * (a replay). Only returns true once the record is on disk.
     *
     * @throws UncheckedIOException if the record could not be written; the nonce is then not recorded
     */
    public boolean claim(String nonce, long keepUntilMillis) {
        boolean interrupted = false;
        Batch batch;
        lock.lock();
        try {
            long now = clock.millis();
            Long existing = keepUntil.get(nonce);
            if (existing != null && existing >= now) {
                return false;
            }
            keepUntil.put(nonce, keepUntilMillis);
            if (file == null) {
                return true;
            }
            batch = open;
            batch.add(nonce, keepUntilMillis);
            while (!batch.done) {
                if (!flushing) {
                    flushOpenBatch();
                    continue;
                }
                try {
                    flushed.await();
                } catch (InterruptedException e) {
                    // The command must not run before its nonce is durable, nor its nonce be left
                    // half recorded: finish waiting, then pass the interrupt on.
                    interrupted = true;
                }
            }
        } finally {
            lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (batch.failure != null) {
            throw new UncheckedIOException("cannot record a command's nonce in " + file, batch.failure);
        }
        return true;
    }

    int size() {
        lock.lock();
        try {
            return keepUntil.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the open batch and writes it with the lock released, so that claims arriving
     * meanwhile gather in the next batch. Called holding the lock; returns holding it.
     */
    private void flushOpenBatch() {
        Batch batch = open;
        open = new Batch();
        flushing = true;
        long now = clock.millis();
        boolean compact = appendedSinceCompaction + batch.nonces.size() >= COMPACT_AFTER;
        // A compaction writes every live entry, this batch's among them: they are all in the map.
        String text = compact ? liveLines(now) : batch.lines.toString();
        IOException failure = null;
        lock.unlock();
        try {
            if (compact) {
                replaceWith(text);
            } else {
                append(text);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            lock.lock();
        }
        if (failure != null) {
            batch.nonces.forEach(keepUntil::remove);
        } else if (compact) {
            appendedSinceCompaction = 0;
        } else {
            appendedSinceCompaction += batch.nonces.size();
        }
        batch.failure = failure;
        batch.done = true;
        flushing = false;
        flushed.signalAll();
    }

    private void load() {
        long now = clock.millis();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.strip().split(" ", 2);
                if (parts.length != 2 || !NONCE.matcher(parts[1]).matches()) {
                    continue;
                }
                try {
                    long until = Long.parseLong(parts[0]);
                    if (until >= now) {
                        keepUntil.merge(parts[1], until, Math::max);
                    }
                } catch (NumberFormatException torn) {
                    // A line torn by a crash mid-append: its command never started.
                }
            }
        } catch (NoSuchFileException first) {
            // First start: nothing seen yet.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seen nonces in " + file, e);
        }
        try {
            replaceWith(liveLines(now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seen nonces in " + file, e);
        }
    }

    /** Drops expired entries and returns the file's text for the live ones. Called holding the lock (or alone). */
    private String liveLines(long now) {
        keepUntil.values().removeIf(until -> until < now);
        StringBuilder live = new StringBuilder();
        keepUntil.forEach((nonce, until) -> live.append(until).append(' ').append(nonce).append('\n'));
        return live.toString();
    }

    private void append(String lines) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        try {
            var buffer = StandardCharsets.UTF_8.encode(lines);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            closeChannel();
            throw e;
        }
    }

    /** Replaces the file with {@code text}, atomically and durably (the folder's entry too). */
    private void replaceWith(String text) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(folder, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            try (FileChannel written = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            closeChannel();
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
                directory.force(true);
            } catch (IOException notSupported) {
                // Some file systems cannot sync a folder; the rename is then as durable as they make it.
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Reopened on the next append.
            }
            channel = null;
        }
    }

    /** The claims that share one flush. */
    private static final class Batch {
        final StringBuilder lines = new StringBuilder();
        final List<String> nonces = new ArrayList<>();
        boolean done;
        IOException failure;

        void add(String nonce, long keepUntilMillis) {
            lines.append(keepUntilMillis).append(' ').append(nonce).append('\n');
            nonces.add(nonce);
        }
    }
}
