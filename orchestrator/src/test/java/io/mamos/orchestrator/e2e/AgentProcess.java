package io.mamos.orchestrator.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The agent jar: its {@code enroll} command, and its {@code run} command as a process. */
final class AgentProcess implements AutoCloseable {

    private static final Duration ENROLL_TIMEOUT = Duration.ofSeconds(120);

    private final LoggedProcess process;
    private final int metricsPort;

    private AgentProcess(LoggedProcess process, int metricsPort) {
        this.process = process;
        this.metricsPort = metricsPort;
    }

    /**
     * Runs {@code mamos-agent enroll} to its end and returns its exit code; the CLI writes the
     * agent's configuration to {@code config}.
     */
    static int enroll(Path dir, String serverUrl, String enrollmentToken, Path config) {
        return enroll(dir, serverUrl, enrollmentToken, config, Map.of());
    }

    /** Likewise, with environment variables for the CLI (e.g. {@code MAMOS_AGENT_ALLOW}). */
    static int enroll(Path dir, String serverUrl, String enrollmentToken, Path config, Map<String, String> env) {
        return enroll(dir, serverUrl, enrollmentToken, config, List.of(), env, dir.resolve("agent.log"));
    }

    /** Likewise, with extra CLI options, environment variables and a log of its own. */
    static int enroll(Path dir, String serverUrl, String enrollmentToken, Path config, List<String> options,
            Map<String, String> env, Path logFile) {
        List<String> command = new java.util.ArrayList<>(List.of(Jars.java(), Jars.tmpDir(dir), "-jar",
                Jars.agent().toString(),
                "enroll", "--server", serverUrl, "--token", enrollmentToken, "--config", config.toString()));
        command.addAll(options);
        return LoggedProcess.run("agent enroll", command, env, dir, logFile, ENROLL_TIMEOUT);
    }

    /**
     * Starts {@code mamos-agent run} with the configuration {@link #enroll} wrote. Its metrics
     * endpoint gets a free loopback port instead of the default 9101, which a locally running
     * agent may hold.
     */
    static AgentProcess start(Path dir, Path config) {
        return start(dir, config, "agent", dir.resolve("agent.log"));
    }

    static AgentProcess start(Path dir, Path config, String name, Path logFile) {
        int metricsPort = FreePorts.next();
        return new AgentProcess(LoggedProcess.start(name,
                List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1", "-jar", Jars.agent().toString(),
                        "run", "--config", config.toString()),
                Map.of("MAMOS_AGENT_METRICS_ADDRESS", "127.0.0.1:" + metricsPort),
                dir, logFile), metricsPort);
    }

    /** The agent's Prometheus endpoint. */
    String metricsUrl() {
        return "http://127.0.0.1:" + metricsPort + "/metrics";
    }

    /** Runs {@code mamos-agent run} expecting it to stop by itself; returns its exit code. */
    static int runUntilExit(Path dir, Path config, Duration timeout) {
        return LoggedProcess.run("agent run",
                List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1", "-jar", Jars.agent().toString(),
                        "run", "--config", config.toString()),
                Map.of("MAMOS_AGENT_METRICS_ADDRESS", "off"), dir, dir.resolve("agent.log"), timeout);
    }

    /** SIGKILL, like kill -9: the agent cannot report anything more. */
    void kill() {
        process.kill();
    }

    LoggedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
