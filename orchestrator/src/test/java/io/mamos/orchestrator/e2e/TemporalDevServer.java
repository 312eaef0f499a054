package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A Temporal dev server ({@code temporal server start-dev}) on free ports, its state in a
 * SQLite file of the test's folder, in write-ahead-log mode as the project's scripts start it
 * ({@code TEMPORAL_SQLITE_PRAGMAS} in scripts/lib/common.sh). The binary comes from {@code MAMOS_TEMPORAL_BIN}, which
 * {@code scripts/test.sh} sets after installing the Temporal CLI.
 */
final class TemporalDevServer implements AutoCloseable {

    static final String BINARY_VARIABLE = "MAMOS_TEMPORAL_BIN";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);
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
    private LoggedProcess process;

    private TemporalDevServer(Path binary, Path dir, int port, int uiPort) {
        this.binary = binary;
        this.dir = dir;
        this.port = port;
        this.uiPort = uiPort;
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
                return cli("operator", "namespace", "describe", "--namespace", "default") == 0;
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

    /** host:port for Temporal clients and workers. */
    String target() {
        return "127.0.0.1:" + port;
    }

    LoggedProcess process() {
        return process;
    }

    /** Ids of every workflow execution this server knows (open and closed). */
    List<String> workflowIds() {
        JsonNode list = cliJson("workflow", "list", "--limit", "10000");
        List<String> ids = new ArrayList<>();
        list.forEach(execution -> ids.add(execution.path("execution").path("workflowId").asString()));
        return ids;
    }

    /** The task queue of each activity {@code workflowId}'s latest run scheduled, in order. */
    List<String> scheduledActivityQueues(String workflowId) {
        JsonNode events = cliJson("workflow", "show", "--workflow-id", workflowId).path("events");
        List<String> queues = new ArrayList<>();
        events.forEach(event -> {
            JsonNode scheduled = event.path("activityTaskScheduledEventAttributes");
            if (!scheduled.isMissingNode()) {
                queues.add(scheduled.path("taskQueue").path("name").asString());
            }
        });
        return queues;
    }

    /** True once a worker polls {@code taskQueue} for activity tasks. */
    boolean hasActivityPoller(String taskQueue) {
        JsonNode pollers = cliJson("task-queue", "describe", "--task-queue", taskQueue,
                "--task-queue-type", "activity").path("pollers");
        return pollers.isArray() && !pollers.isEmpty();
    }

    private int cli(String... args) {
        return runCli(args).exitCode();
    }

    private JsonNode cliJson(String... args) {
        String[] withOutput = Arrays.copyOf(args, args.length + 2);
        withOutput[args.length] = "--output";
        withOutput[args.length + 1] = "json";
        CliResult result = runCli(withOutput);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("temporal " + String.join(" ", args) + " exited " + result.exitCode()
                    + "; see " + dir.resolve("temporal-cli.log"));
        }
        return Json.read(result.stdout());
    }

    /** Runs the Temporal CLI against this server; stdout is returned, stderr goes to temporal-cli.log. */
    private CliResult runCli(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--address", target(), "--namespace", "default"));
        try {
            Path stdout = Files.createTempFile(dir, "temporal-cli-", ".out");
            Process cli = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("temporal-cli.log").toFile()))
                    .start();
            try {
                if (!cli.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    cli.destroyForcibly().waitFor();
                    throw new IllegalStateException("temporal " + String.join(" ", args) + " hung for "
                            + CLI_TIMEOUT.toSeconds() + "s");
                }
                return new CliResult(cli.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running the Temporal CLI", e);
        }
    }

    private record CliResult(int exitCode, String stdout) {
    }

    @Override
    public void close() {
        process.stop();
    }
}
