package io.mamos.orchestrator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PostgreSQL server of the API tests when they run against that store ({@code -Dmamos.test.store=postgresql},
 * the orchestrator's second Surefire execution): one server per test JVM, started by the project's
 * {@code scripts/postgres.sh} in {@code target/postgres-test} on a free port and stopped when the
 * JVM exits, and a new empty database for each test context. The end-to-end tests use it too
 * ({@code MamosStack.withPostgresStore()}).
 */
public final class TestPostgres {

    static final String STORE_PROPERTY = "mamos.test.store";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static TestPostgres server;

    private final Path script;
    private final Path dir;
    private final int port;
    private final String password;

    private TestPostgres(Path script, Path dir, int port) {
        this.script = script;
        this.dir = dir;
        this.port = port;
        run(List.of("start", dir.toString(), String.valueOf(port)));
        try {
            this.password = Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> run(List.of("stop", dir.toString()))));
    }

    /** True when this test JVM runs the API tests against PostgreSQL rather than SQLite. */
    static boolean selected() {
        String store = System.getProperty(STORE_PROPERTY, "sqlite");
        if (!List.of("sqlite", "postgresql").contains(store)) {
            throw new IllegalArgumentException(STORE_PROPERTY + " must be sqlite or postgresql, not " + store);
        }
        return store.equals("postgresql");
    }

    public static synchronized TestPostgres server() {
        if (server == null) {
            Path script = Path.of(System.getProperty("mamos.postgres.script", "../scripts/postgres.sh")).toAbsolutePath();
            // One folder per JVM: a second fork (or a run beside this one) gets a server of its own.
            Path dir = Path.of("target", "postgres-test", "jvm-" + ProcessHandle.current().pid()).toAbsolutePath();
            server = new TestPostgres(script, dir, freePort());
        }
        return server;
    }

    /** A new empty database on this server; its JDBC URL. */
    public String createDatabase(String name) {
        String database = (name.replaceAll("[^a-z0-9]", "_") + "_" + DATABASES.incrementAndGet()).toLowerCase();
        run(List.of("createdb", dir.toString(), String.valueOf(port), database));
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String username() {
        return "mamos";
    }

    public String password() {
        return password;
    }

    /** Runs one statement on the database of {@code url} (for tests that look past the API). */
    void execute(String url, String sql) {
        try (var connection = DriverManager.getConnection(url, username(), password);
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void run(List<String> arguments) {
        var command = new java.util.ArrayList<String>(List.of("bash", script.toString()));
        command.addAll(arguments);
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolveSibling(dir.getFileName() + ".log").toFile()))
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed; see "
                        + dir.resolveSibling(dir.getFileName() + ".log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
