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
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The nonces of every command this agent accepted, each kept until its invocation can no longer
 * be accepted anyway (expiry plus clock skew). Persisted, one {@code <keepUntilMillis> <nonce>}
 * line each, appended and flushed to disk before the command runs, so a restart does not reopen a
 * replay window; expired entries are dropped when the file is loaded and when it is compacted.
 */
public final class SeenNonces {

    /** Nonces are UUIDs; anything else is refused before it reaches the file. */
    static final Pattern NONCE = Pattern.compile("[A-Za-z0-9-]{8,64}");

    /** The file is rewritten with live entries only once this many lines were appended since the last time. */
    private static final int COMPACT_AFTER = 1024;

    private final Path file;
    private final Clock clock;
    private final Map<String, Long> keepUntil = new HashMap<>();
    private int appendedSinceCompaction;

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
     */
    public synchronized boolean claim(String nonce, long keepUntilMillis) {
        long now = clock.millis();
        Long existing = keepUntil.get(nonce);
        if (existing != null && existing >= now) {
            return false;
        }
        keepUntil.put(nonce, keepUntilMillis);
        if (file != null) {
            try {
                append(keepUntilMillis + " " + nonce + "\n");
                if (appendedSinceCompaction >= COMPACT_AFTER) {
                    compact(now);
                }
            } catch (IOException e) {
                keepUntil.remove(nonce);
                throw new UncheckedIOException("cannot record a command's nonce in " + file, e);
            }
        }
        return true;
    }

    synchronized int size() {
        return keepUntil.size();
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
            compact(now);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the seen nonces in " + file, e);
        }
    }

    private void append(String line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(StandardCharsets.UTF_8.encode(line));
            channel.force(false);
        }
        appendedSinceCompaction++;
    }

    /** Rewrites the file with the live entries only, atomically. */
    private void compact(long now) throws IOException {
        keepUntil.values().removeIf(until -> until < now);
        StringBuilder live = new StringBuilder();
        keepUntil.forEach((nonce, until) -> live.append(until).append(' ').append(nonce).append('\n'));
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, live, StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
        appendedSinceCompaction = 0;
    }
}
