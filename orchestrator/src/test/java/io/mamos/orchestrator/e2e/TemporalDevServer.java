package io.mamos.orchestrator.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Temporal dev server ({@code temporal server start-dev}) on free ports, its state in a
 * SQLite file of the test's folder, in write-ahead-log mode as the project's scripts start it
 * ({@code TEMPORAL_SQLITE_PRAGMAS} in scripts/lib/common.sh). The binary comes from {@code MAMOS_TEMPORAL_BIN}, which
 * {@code scripts/test.sh} sets after installing the Temporal CLI.
 */
final class TemporalDevServer implements TemporalService {

    static final String BINARY_VARIABLE = "MAMOS_TEMPORAL_BIN";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    /**
     * Write-ahead log, synced at checkpoints: a commit survives the server's crash (kill -9), only
     * a power loss can take the last ones; without it the dev server syncs the file and a rollback
     * journal on every write, and readers wait for writers.
     */
    static final List<String> SQLITE_PRAGMAS = List.of("--sqlite-pragma", "journal_mode=wal",
            "--sqlite-pragma", "synchronous=normal");

    private final Path binary;
    private final Path dir;
    private final int port;
    private final int uiPort;
    private final TemporalCli cli;
    private LoggedProcess process;

    private TemporalDevServer(Path binary, Path dir, int port, int uiPort) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.uiPort = uiPort;
        this.cli = new TemporalCli(binary, dir, target());
    }

    static TemporalDevServer start(Path dir) {
        TemporalDevServer server = new TemporalDevServer(binary(), dir, FreePorts.next(), FreePorts.next());
        server.startAndAwaitReady();
        return server;
    }

    /** Starts it again after {@link #stop()} or {@link #kill()}: same ports, same database file. */
    void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the Temporal dev server (pid " + process.pid() + ") is still running");
        }
        startAndAwaitReady();
    }

    /** SIGTERM, as a service manager stops it (SIGKILL only if it does not stop in time). */
    void stop() {
        process.stop();
    }

    /** SIGKILL, like kill -9: no graceful shutdown of the server. */
    void kill() {
        process.kill();
    }

    private void startAndAwaitReady() {
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(),
                "server", "start-dev", "--headless",
                "--port", String.valueOf(port), "--ui-port", String.valueOf(uiPort),
                "--db-filename", dir.resolve("temporal.db").toString()));
        command.addAll(SQLITE_PRAGMAS);
        process = LoggedProcess.start("temporal", command, Map.of(), dir, dir.resolve("temporal.log"));
        try {
            Poll.until("Temporal's default namespace on port " + port, STARTUP, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the Temporal dev server exited" + System.lineSeparator()
                            + process.tail(40));
                }
                return cli.succeeds("operator", "namespace", "describe", "--namespace", "default");
            });
        } catch (RuntimeException | Error e) {
            process.stop();
            throw e;
        }
    }

    /** The Temporal CLI's path, or a clear failure saying how to provide it. */
    static Path binary() {
        String value = System.getenv(BINARY_VARIABLE);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(BINARY_VARIABLE + " is not set. The end-to-end tests need the Temporal CLI:"
                    + " run them through scripts/test.sh (it installs the CLI), or install it yourself"
                    + " (e.g. `source scripts/lib/common.sh && ensure_temporal`) and export "
                    + BINARY_VARIABLE + "=/path/to/temporal.");
        }
        Path binary = Path.of(value);
        if (!binary.toFile().canExecute()) {
            throw new IllegalStateException(BINARY_VARIABLE + "=" + value + " is not an executable file.");
        }
        return binary;
    }

    @Override
    public String target() {
        return "127.0.0.1:" + port;
    }

    LoggedProcess process() {
        return process;
    }

    /** Ids of every workflow execution this server knows (open and closed). */
    List<String> workflowIds() {
        return cli.workflowIds();
    }

    /** The task queue of each activity {@code workflowId}'s latest run scheduled, in order. */
    List<String> scheduledActivityQueues(String workflowId) {
        return cli.scheduledActivityQueues(workflowId);
    }

    /** True once a worker polls {@code taskQueue} for activity tasks. */
    boolean hasActivityPoller(String taskQueue) {
        return cli.hasActivityPoller(taskQueue);
    }

    @Override
    public TemporalCli cli() {
        return cli;
    }

    @Override
    public String logTail(int lines) {
        return LoggedProcess.tailOf("temporal", dir.resolve("temporal.log"), lines);
    }

    @Override
    public void close() {
        process.stop();
    }
}
