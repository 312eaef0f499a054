package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out loopback ports that are free right now, never the same one twice in this JVM.
 *
 * <p>Failsafe runs the end-to-end tests in several JVMs at once (its forks, see
 * orchestrator/pom.xml) and tells each its number ({@code mamos.e2e.fork}, 1, 2, ...): a fork
 * hands out ports from a band of its own, below the kernel's ephemeral range (32768-60999 on
 * Linux), so that neither another fork nor an outgoing connection's local port can take a port
 * between the moment it is handed out and the moment the process it is for binds it. Outside
 * Failsafe (one JVM) the kernel picks the port.
 */
final class FreePorts {

    /** The first fork's band starts here; each fork's band is {@value #BAND} ports wide. */
    private static final int FIRST = 15_000;
    private static final int BAND = 4_000;
    /** Ports from here on do not fit a PostgreSQL SMALLINT. */
    private static final int SMALLINT_END = 32_768;

    private static final Set<Integer> handedOut = new HashSet<>();
    private static final int fork = Integer.getInteger("mamos.e2e.fork", 0);
    private static int cursor = FIRST + (fork - 1) * BAND;

    private FreePorts() {
    }

    static synchronized int next() {
        if (fork < 1) {
            return kernelPicked();
        }
        int end = FIRST + fork * BAND;
        while (cursor < end) {
            int port = cursor++;
            if (handedOut.add(port) && isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("fork " + fork + " has handed out every port of its band below " + end);
    }

    /**
     * The first of {@code count} consecutive ports, each free right now and none handed out
     * before, all below 32768, for a server that lays out its ports from a base: the project's
     * Temporal cluster, whose membership table keeps ports as a SMALLINT. Outside Failsafe the
     * block starts at a random port of 10000-32767, below the kernel's ephemeral range.
     */
    static synchronized int block(int count) {
        int start = fork < 1 ? randomBelowEphemeral(count) : next();
        while (true) {
            if (start + count > SMALLINT_END) {
                throw new IllegalStateException("no block of " + count + " free ports below " + SMALLINT_END);
            }
            int length = 1;
            while (length < count && handedOut.add(start + length) && isFree(start + length)) {
                length++;
            }
            if (length == count) {
                return start;
            }
            // A taken port cuts the run short: start again behind it.
            start = fork < 1 ? randomBelowEphemeral(count) : next();
        }
    }

    private static int randomBelowEphemeral(int count) {
        return java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, SMALLINT_END - count);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int kernelPicked() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (handedOut.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free local port", e);
            }
        }
        throw new IllegalStateException("no fresh free local port after 50 attempts");
    }
}
