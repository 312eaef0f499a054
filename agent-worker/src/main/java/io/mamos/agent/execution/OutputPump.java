package io.mamos.agent.execution;

import java.io.IOException;
import java.io.InputStream;

/**
 * Drains one of a process's output pipes on its own thread. Each stream needs its own reader:
 * a process blocks once a pipe it writes to is full, so reading stdout and stderr in turn on one
 * thread could deadlock.
 */
final class OutputPump implements Runnable {

    private static final int CHUNK_BYTES = 8192;

    private final InputStream source;
    private final CappedOutput capture;
    private final CappedOutput recent;

    private OutputPump(InputStream source, CappedOutput capture, CappedOutput recent) {
        this.source = source;
        this.capture = capture;
        this.recent = recent;
    }

    /** Starts a daemon thread so a pipe held open by a stray process never keeps the JVM alive. */
    static Thread start(String name, InputStream source, CappedOutput capture, CappedOutput recent) {
        Thread thread = new Thread(new OutputPump(source, capture, recent), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[CHUNK_BYTES];
        try (source) {
            int read;
            while ((read = source.read(buffer)) != -1) {
                capture.write(buffer, 0, read);
                recent.write(buffer, 0, read);
            }
        } catch (IOException closed) {
            // The pipe was closed under us because the process was killed: what was read is kept.
        }
    }
}
