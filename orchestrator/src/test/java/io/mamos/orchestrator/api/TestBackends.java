package io.mamos.orchestrator.api;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What an API test's orchestrator talks to: a fresh data folder, a store (a real SQLite file
 * in it, or with {@code -Dmamos.test.store=postgresql} a new database on a real PostgreSQL
 * server, {@link TestPostgres}) and a real Temporal gRPC endpoint (the SDK's in-process test
 * server, bound to a free port).
 */
final class TestBackends implements AutoCloseable {

    private final Path dataDir;
    private final int temporalPort;
    private final TestServer.PortBoundTestServer temporal;
    private final String storeUrl;

    private TestBackends(String name) throws IOException {
        this.dataDir = Files.createTempDirectory(name);
        this.storeUrl = TestPostgres.selected() ? TestPostgres.server().createDatabase(name) : null;
        try (var socket = new ServerSocket(0)) {
            this.temporalPort = socket.getLocalPort();
        }
        this.temporal = TestServer.createPortBoundServer(temporalPort, false);
    }

    static TestBackends start(String name) {
        try {
            return new TestBackends(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the orchestrator under test at these backends. */
    void register(DynamicPropertyRegistry registry) {
        registry.add("mamos.data-dir", dataDir::toString);
        if (storeUrl != null) {
            registry.add("mamos.store.url", () -> storeUrl);
            registry.add("mamos.store.username", TestPostgres.server()::username);
            registry.add("mamos.store.password", TestPostgres.server()::password);
        }
        registry.add("mamos.temporal.target", this::temporalTarget);
        // Each test context serves its own agent gateway, on a port of its own, on loopback only.
        registry.add("mamos.gateway.port", () -> 0);
        registry.add("mamos.gateway.bind-address", () -> "127.0.0.1");
    }

    /** The PostgreSQL database's JDBC URL, or empty when the store is the SQLite file in {@link #dataDir()}. */
    java.util.Optional<String> storeUrl() {
        return java.util.Optional.ofNullable(storeUrl);
    }

    Path dataDir() {
        return dataDir;
    }

    String temporalTarget() {
        return "localhost:" + temporalPort;
    }

    @Override
    public void close() {
        temporal.close();
    }
}
