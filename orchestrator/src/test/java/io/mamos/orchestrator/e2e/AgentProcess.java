package io.mamos.orchestrator.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The agent jar: its {@code enroll} command, and its {@code run} command as a process. */
final class AgentProcess implements AutoCloseable {

    private static final Duration ENROLL_TIMEOUT = Duration.ofSeconds(120);

    private final LoggedProcess process;

    private AgentProcess(LoggedProcess process) {
        this.process = process;
    }

    /**
     * Runs {@code mamos-agent enroll} to its end and returns its exit code; the CLI writes the
     * agent's configuration to {@code config}.
     */
    static int enroll(Path dir, String serverUrl, String enrollmentToken, Path config) {
        return enroll(dir, serverUrl, enrollmentToken, config, List.of(), dir.resolve("agent.log"));
    }

    /** Like {@link #enroll(Path, String, String, Path)}, with extra CLI options and a log of its own. */
    static int enroll(Path dir, String serverUrl, String enrollmentToken, Path config, List<String> options,
            Path logFile) {
        List<String> command = new java.util.ArrayList<>(List.of(Jars.java(), "-jar", Jars.agent().toString(),
                "enroll", "--server", serverUrl, "--token", enrollmentToken, "--config", config.toString()));
        command.addAll(options);
        return LoggedProcess.run("agent enroll", command, Map.of(), dir, logFile, ENROLL_TIMEOUT);
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
        return new AgentProcess(LoggedProcess.start(name,
                List.of(Jars.java(), "-XX:TieredStopAtLevel=1", "-jar", Jars.agent().toString(),
                        "run", "--config", config.toString()),
                Map.of("MAMOS_AGENT_METRICS_ADDRESS", "127.0.0.1:" + FreePorts.next()),
                dir, logFile));
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
