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
