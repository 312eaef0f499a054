package io.mamos.agent.execution;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Bounded capture of one output stream: keeps the first and the last bytes and counts the rest,
 * so a command that prints gigabytes costs the agent a fixed amount of memory. The head shows
 * how a command started, the tail how it ended; both matter more than the middle.
 * Thread-safe: a reader thread writes while the runner thread takes snapshots for heartbeats.
 */
final class CappedOutput {

    private final byte[] head;
    private int headLength;
    private final byte[] tail;
    private int tailStart;
    private int tailLength;
    private long totalBytes;

    private CappedOutput(int headCapacity, int tailCapacity) {
        this.head = new byte[headCapacity];
        this.tail = new byte[tailCapacity];
    }

    /** Keeps up to {@code maxBytes} in all: half from the start, half from the end. */
    static CappedOutput headAndTail(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        int headCapacity = maxBytes / 2;
        return new CappedOutput(headCapacity, maxBytes - headCapacity);
    }

    /** Keeps only the last {@code maxBytes}: what a progress report shows. */
    static CappedOutput tailOnly(int maxBytes) {
        return new CappedOutput(0, maxBytes);
    }

    synchronized void write(byte[] bytes, int offset, int length) {
        totalBytes += length;
        int toHead = Math.min(length, head.length - headLength);
        System.arraycopy(bytes, offset, head, headLength, toHead);
        headLength += toHead;
        offset += toHead;
        length -= toHead;
        if (length == 0 || tail.length == 0) {
            return;
        }
        if (length >= tail.length) {
            System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
            tailStart = 0;
            tailLength = tail.length;
            return;
        }
        int writeAt = (tailStart + tailLength) % tail.length;
        int firstPart = Math.min(length, tail.length - writeAt);
        System.arraycopy(bytes, offset, tail, writeAt, firstPart);
        System.arraycopy(bytes, offset + firstPart, tail, 0, length - firstPart);
        int grown = tailLength + length;
        if (grown > tail.length) {
            tailStart = (tailStart + grown - tail.length) % tail.length;
            tailLength = tail.length;
        } else {
            tailLength = grown;
        }
    }

    synchronized long totalBytes() {
        return totalBytes;
    }

    /** Whether bytes were dropped from the middle. */
    synchronized boolean truncated() {
        return totalBytes > (long) head.length + tail.length;
    }

    /** The kept bytes as UTF-8 text, with a marker line where bytes were dropped. */
    synchronized String text() {
        ByteArrayOutputStream text = new ByteArrayOutputStream(headLength + tailLength + 64);
        text.write(head, 0, headLength);
        if (truncated() && headLength > 0) {
            long omitted = totalBytes - headLength - tailLength;
            byte[] marker = ("\n[... " + omitted + " bytes omitted by mamos-agent ...]\n")
                    .getBytes(StandardCharsets.UTF_8);
            text.write(marker, 0, marker.length);
        }
        int firstPart = Math.min(tailLength, tail.length - tailStart);
        text.write(tail, tailStart, firstPart);
        text.write(tail, 0, tailLength - firstPart);
        return text.toString(StandardCharsets.UTF_8);
    }
}
