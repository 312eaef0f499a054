package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator jar as a process on a free port, with its own data folder. It can be
 * killed with SIGKILL and started again on the same port and data folder.
 */
final class OrchestratorProcess implements AutoCloseable {

    /** Startup on a 2-core CI machine: Spring Boot, Flyway, the Temporal worker. */
    private static final Duration STARTUP = Duration.ofSeconds(180);

    private Path jar;
    private final Path dir;
    private final Path dataDir;
    private final int port;
    private final int gatewayPort;
    private final String temporalTarget;
    private final Map<String, String> extraEnv;
    private LoggedProcess process;

    private OrchestratorProcess(Path jar, Path dir, int port, String temporalTarget, Map<String, String> extraEnv) {
        this(jar, dir, dir.resolve("orchestrator"), port, temporalTarget, extraEnv);
    }

    private OrchestratorProcess(Path jar, Path dir, Path dataDir, int port, String temporalTarget,
            Map<String, String> extraEnv) {
        this.extraEnv = Map.copyOf(extraEnv);
        this.jar = jar;
        this.dir = dir;
        this.dataDir = dataDir;
        this.port = port;
        this.gatewayPort = extraEnv.containsKey("MAMOS_GATEWAY_PORT")
                ? Integer.parseInt(extraEnv.get("MAMOS_GATEWAY_PORT")) : FreePorts.next();
        this.temporalTarget = temporalTarget;
    }

    /** Starts the orchestrator against {@code temporalTarget} and waits until /health is UP. */
    static OrchestratorProcess start(Path dir, String temporalTarget) {
        return start(dir, temporalTarget, Map.of());
    }

    /** Likewise, with more environment variables (e.g. {@code MAMOS_POLICY_FILE}). */
    static OrchestratorProcess start(Path dir, String temporalTarget, Map<String, String> extraEnv) {
        return start(Jars.orchestrator(), dir, temporalTarget, extraEnv);
    }

    /** Likewise, from another build of the orchestrator (an earlier release's jar, say). */
    static OrchestratorProcess start(Path jar, Path dir, String temporalTarget, Map<String, String> extraEnv) {
        OrchestratorProcess orchestrator = new OrchestratorProcess(jar, dir, FreePorts.next(), temporalTarget,
                extraEnv);
        try {
            orchestrator.startAndAwaitHealthy();
        } catch (RuntimeException | Error e) {
            orchestrator.close();
            throw e;
        }
        return orchestrator;
    }

    /**
     * Another replica of {@code first}: same data folder (its keys and secrets), same Temporal and
     * environment (the shared store's {@code MAMOS_STORE_*} among it), its own port, logs in {@code dir}.
     */
    static OrchestratorProcess startReplica(OrchestratorProcess first, Path dir) {
        OrchestratorProcess replica = new OrchestratorProcess(first.jar, dir, first.dataDir, FreePorts.next(),
                first.temporalTarget, first.extraEnv);
        try {
            replica.startAndAwaitHealthy();
        } catch (RuntimeException | Error e) {
            replica.close();
            throw e;
        }
        return replica;
    }

    /** Starts it again after {@link #kill()}: same port, same data folder, same Temporal. */
    void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the orchestrator (pid " + process.pid() + ") is still running");
        }
        startAndAwaitHealthy();
    }

    /**
     * Stops it gracefully (SIGTERM) and starts {@code newJar} in its place: same port, same data
     * folder, same Temporal, as an operator upgrading it would.
     */
    void replaceWith(Path newJar) {
        process.stop();
        jar = newJar;
        startAndAwaitHealthy();
    }

    /** SIGKILL, like kill -9: no shutdown hooks, no graceful stop of the Temporal worker. */
    void kill() {
        process.kill();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The agent gateway the orchestrator serves (or, with MAMOS_GATEWAY_ENABLED=false, hands out). */
    String gatewayTarget() {
        return "127.0.0.1:" + gatewayPort;
    }

    ApiClient anonymousApi() {
        return ApiClient.anonymous(baseUrl());
    }

    /** The generated admin password the orchestrator wrote into its data folder. */
    String adminPassword() {
        Path file = dataDir.resolve("admin-password");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("the orchestrator wrote no admin password at " + file, e);
        }
    }

    LoggedProcess process() {
        return process;
    }

    @Override
    public void close() {
        if (process != null) {
            process.stop();
        }
    }

    private void startAndAwaitHealthy() {
        Map<String, String> env = new java.util.HashMap<>(extraEnv);
        env.putAll(Map.of(
                "SERVER_PORT", String.valueOf(port),
                "MAMOS_DATA_DIR", dataDir.toString(),
                "MAMOS_TEMPORAL_TARGET", temporalTarget,
                // Short enough that the agent-loss and agent-offline paths finish within a test.
                "MAMOS_JOBS_HEARTBEAT_TIMEOUT", "3s",
                "MAMOS_JOBS_AGENT_WAIT", "15s",
                "MAMOS_LIVENESS_INTERVAL", MamosStack.LIVENESS_INTERVAL.toSeconds() + "s",
                "MAMOS_LIVENESS_HISTORY_INTERVAL", MamosStack.LIVENESS_HISTORY_INTERVAL.toSeconds() + "s"));
        // The agent gateway on a port of its own, on loopback: agents reach Temporal only through it.
        env.put("MAMOS_GATEWAY_PORT", String.valueOf(gatewayPort));
        env.putIfAbsent("MAMOS_GATEWAY_BIND_ADDRESS", "127.0.0.1");
        Jars.provideSigningKey(dataDir);
        List<String> command = new java.util.ArrayList<>(List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1"));
        command.addAll(Jars.bootJar(jar));
        process = LoggedProcess.start("orchestrator", command, env, dir, dir.resolve("orchestrator.log"));
        ApiClient api = anonymousApi();
        Poll.until("the orchestrator's /health on port " + port, STARTUP, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the orchestrator exited during startup" + System.lineSeparator()
                        + process.tail(60));
            }
            return api.get("/health").status() == 200;
        });
    }
}
