package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The project's real Temporal cluster, started by its own scripts in the test's folder: a
 * PostgreSQL ({@code scripts/postgres.sh}) and one frontend, two history, two matching and one
 * worker process on it ({@code scripts/temporal-cluster.sh}), on free ports. The server comes
 * from {@code MAMOS_TEMPORAL_SERVER_DIR} and the CLI from {@code MAMOS_TEMPORAL_BIN}, which
 * {@code scripts/test.sh} sets after building and installing them; without them the test fails.
 */
final class TemporalCluster implements TemporalService {

    static final String SERVER_DIR_VARIABLE = "MAMOS_TEMPORAL_SERVER_DIR";
    static final int HISTORY_INSTANCES = 2;
    /** The ports infra/temporal/temporal-cluster.yaml lays out from its base: 40 of them. */
    private static final int PORTS = 40;
    /** History instance i serves gRPC on base + 10 + 2i (infra/temporal/temporal-cluster.yaml). */
    private static final int HISTORY_GRPC_OFFSET = 10;
    /** Schema setup and six servers on a 2-core machine; a first PostgreSQL install takes longer. */
    private static final Duration STARTUP = Duration.ofSeconds(300);
    private static final Duration STOP = Duration.ofSeconds(120);
    /** A cold build measured 245 s on 2 cores; the tests around it slow it down. */
    private static final Duration BUILD_WAIT = Duration.ofMinutes(15);

    private final Path scripts;
    private final Path serverDir;
    private final Path dir;
    private final Path clusterDir;
    private final Path postgresDir;
    private final int basePort;
    private final int postgresPort;
    private final TemporalCli cli;
    private final Thread reaper = new Thread(this::close, "temporal-cluster-reaper");
    private Duration lastStart;

    private TemporalCluster(Path scripts, Path serverDir, Path dir) {
        this.scripts = scripts;
        this.serverDir = serverDir;
        this.dir = dir;
        this.clusterDir = dir.resolve("temporal");
        this.postgresDir = dir.resolve("postgres");
        this.postgresPort = FreePorts.next();
        this.basePort = FreePorts.block(PORTS);
        this.cli = new TemporalCli(TemporalDevServer.binary(), dir, target());
    }

    static TemporalCluster start(Path dir) {
        TemporalCluster cluster = new TemporalCluster(scriptsDir(), serverDir(), dir);
        // Its processes outlive the scripts that start them; a JVM that dies must not leave them.
        Runtime.getRuntime().addShutdownHook(cluster.reaper);
        try {
            cluster.script("postgres", STARTUP, "postgres.sh", "start", cluster.postgresDir.toString(),
                    String.valueOf(cluster.postgresPort));
            cluster.startInstances();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Starts every instance that is not running (after {@link #killHistory}); waits until all joined. */
    void startInstances() {
        long started = System.nanoTime();
        script("temporal-cluster", STARTUP, "temporal-cluster.sh", "start", clusterDir.toString(),
                String.valueOf(basePort), postgresDir.toString(), String.valueOf(postgresPort));
        lastStart = Duration.ofNanos(System.nanoTime() - started);
    }

    /** How long the last {@link #startInstances()} took. */
    Duration lastStart() {
        return lastStart;
    }

    /** SIGKILL to history instance {@code instance}, like kill -9; waits until it is gone. */
    void killHistory(int instance) {
        String name = "history-" + instance;
        long pid = Long.parseLong(read(clusterDir.resolve(name + ".pid")).trim());
        ProcessHandle process = ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") does not run"));
        process.destroyForcibly();
        Poll.until(name + " (pid " + pid + ") to exit after SIGKILL", Duration.ofSeconds(30), () -> !process.isAlive());
    }

    /**
     * The history instance that owns the shard of {@code workflowId}'s current run now, as the
     * shard's record in the database names it (its owner's gRPC address); empty when none does.
     */
    Optional<Integer> historyOwning(String workflowId) {
        for (int instance = 0; instance < HISTORY_INSTANCES; instance++) {
            String owner = "127.0.0.1:" + (basePort + HISTORY_GRPC_OFFSET + 2 * instance);
            String owns = sql("SELECT position(convert_to('" + owner + "', 'UTF8') in s.data) > 0"
                    + " FROM current_executions c JOIN shards s ON s.shard_id = c.shard_id"
                    + " WHERE c.workflow_id = '" + workflowId.replace("'", "''") + "'");
            if (owns.equals("t")) {
                return Optional.of(instance);
            }
        }
        return Optional.empty();
    }

    /** Runs one SQL query on the cluster's {@code temporal} database; its output unaligned, trimmed. */
    String sql(String query) {
        LoggedProcess.Output output = LoggedProcess.capture(
                List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(postgresPort), "-U", "mamos", "-d", "temporal",
                        "-tAc", query),
                Map.of("PGPASSWORD", read(postgresDir.resolve("password")).trim()), dir, dir.resolve("psql.log"),
                Duration.ofSeconds(30));
        if (output.exitCode() != 0) {
            throw new IllegalStateException("psql exited " + output.exitCode() + " on " + query + "; see "
                    + dir.resolve("psql.log"));
        }
        return output.stdout().trim();
    }

    @Override
    public String target() {
        return "127.0.0.1:" + basePort;
    }

    @Override
    public TemporalCli cli() {
        return cli;
    }

    @Override
    public String logTail(int lines) {
        List<String> tails = new ArrayList<>();
        tails.add(LoggedProcess.tailOf("temporal-cluster.sh", dir.resolve("temporal-cluster.log"), lines));
        try (var logs = Files.list(clusterDir)) {
            logs.filter(log -> log.getFileName().toString().endsWith(".log")).sorted()
                    .forEach(log -> tails.add(LoggedProcess.tailOf(log.getFileName().toString(), log, lines)));
        } catch (IOException e) {
            tails.add("===== no logs in " + clusterDir + ": " + e);
        }
        return String.join(System.lineSeparator(), tails);
    }

    /** Stops the cluster's processes, then its PostgreSQL; each even if the other failed. */
    @Override
    public synchronized void close() {
        try {
            script("temporal-cluster", STOP, "temporal-cluster.sh", "stop", clusterDir.toString());
        } finally {
            script("postgres", STOP, "postgres.sh", "stop", postgresDir.toString());
        }
        if (Thread.currentThread() != reaper) {
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting: the hook runs (or ran) close() anyway.
            }
        }
    }

    private void script(String log, Duration timeout, String script, String... args) {
        List<String> command = new ArrayList<>(List.of(scripts.resolve(script).toString()));
        command.addAll(List.of(args));
        Path logFile = dir.resolve(log + ".log");
        int exit = LoggedProcess.run(log, command,
                Map.of(SERVER_DIR_VARIABLE, serverDir.toString(),
                        TemporalDevServer.BINARY_VARIABLE, TemporalDevServer.binary().toString()),
                dir, logFile, timeout);
        if (exit != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + exit + System.lineSeparator()
                    + LoggedProcess.tailOf(log, logFile, 40));
        }
    }

    /** The Temporal server's folder (bin/, schema/), or a clear failure saying how to provide it. */
    static Path serverDir() {
        String value = System.getenv(SERVER_DIR_VARIABLE);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(SERVER_DIR_VARIABLE + " is not set. TemporalClusterIT needs the Temporal"
                    + " server built by the project: run it through scripts/test.sh (it builds it), or build it yourself"
                    + " and export the folder it prints: export " + SERVER_DIR_VARIABLE
                    + "=\"$(scripts/temporal-cluster.sh build)\".");
        }
        Path dir = Path.of(value).toAbsolutePath();
        if (!built(dir) && building(dir)) {
            // scripts/test.sh builds it while Maven runs the tests that come first.
            System.err.println("[e2e] waiting for the Temporal server build into " + dir);
            Poll.until("the Temporal server build into " + dir + " (scripts/test.sh: target/test-logs/temporal-server.log)",
                    BUILD_WAIT, () -> built(dir) || !building(dir));
        }
        if (!built(dir)) {
            throw new IllegalStateException(SERVER_DIR_VARIABLE + "=" + value
                    + " has no executable bin/temporal-server and bin/temporal-sql-tool");
        }
        return dir;
    }

    private static boolean built(Path dir) {
        return dir.resolve("bin/temporal-server").toFile().canExecute()
                && dir.resolve("bin/temporal-sql-tool").toFile().canExecute();
    }

    /**
     * Whether a build into {@code dir} runs now: scripts/lib/temporal-server.sh builds into
     * {@code DIR.partial.PID} and renames that into place, PID being the building shell's.
     */
    private static boolean building(Path dir) {
        String prefix = dir.getFileName() + ".partial.";
        try (var siblings = Files.list(dir.getParent())) {
            return siblings.map(sibling -> sibling.getFileName().toString())
                    .filter(name -> name.startsWith(prefix) && name.substring(prefix.length()).matches("\\d+"))
                    .map(name -> ProcessHandle.of(Long.parseLong(name.substring(prefix.length()))))
                    .anyMatch(process -> process.map(ProcessHandle::isAlive).orElse(false));
        } catch (IOException e) {
            return false;
        }
    }

    private static Path scriptsDir() {
        return Path.of(System.getProperty("mamos.scripts.dir", "../scripts")).toAbsolutePath().normalize();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Temporal cluster " + target() + " (" + clusterDir + ")";
    }
}
