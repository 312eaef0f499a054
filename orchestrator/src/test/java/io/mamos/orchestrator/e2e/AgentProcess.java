package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The agent jar: its {@code enroll} command, and its {@code run} command as a process. */
final class AgentProcess implements AutoCloseable {

    private static final Duration ENROLL_TIMEOUT = Duration.ofSeconds(120);

    /** The agent's log line saying its worker started polling, after its timestamp. */
    private static final String POLLING = " polling task queue ";

    private final LoggedProcess process;
    private final int metricsPort;
    /** Where this process's part of its (possibly shared) log file begins. */
    private final long logOffset;

    private AgentProcess(LoggedProcess process, int metricsPort, long logOffset) {
        this.process = process;
        this.metricsPort = metricsPort;
        this.logOffset = logOffset;
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
        return enroll(Jars.agent(), dir, serverUrl, enrollmentToken, config, options, env, logFile);
    }

    /** Likewise, with another build of the agent (an earlier release's jar, say). */
    static int enroll(Path jar, Path dir, String serverUrl, String enrollmentToken, Path config, List<String> options,
            Map<String, String> env, Path logFile) {
        List<String> command = new java.util.ArrayList<>(List.of(Jars.java(), Jars.tmpDir(dir), "-jar",
                jar.toString(),
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
        return start(dir, config, Map.of());
    }

    /** Likewise, with these environment variables set too (e.g. {@code JAVA_TOOL_OPTIONS}). */
    static AgentProcess start(Path dir, Path config, Map<String, String> env) {
        return start(Jars.agent(), dir, config, "agent", dir.resolve("agent.log"), env);
    }

    static AgentProcess start(Path dir, Path config, String name, Path logFile) {
        return start(Jars.agent(), dir, config, name, logFile);
    }

    /** Likewise, with another build of the agent (an earlier release's jar, say). */
    static AgentProcess start(Path jar, Path dir, Path config, String name, Path logFile) {
        return start(jar, dir, config, name, logFile, Map.of());
    }

    private static AgentProcess start(Path jar, Path dir, Path config, String name, Path logFile,
            Map<String, String> env) {
        int metricsPort = FreePorts.next();
        long logOffset = sizeOf(logFile);
        Map<String, String> environment = new java.util.HashMap<>(env);
        environment.put("MAMOS_AGENT_METRICS_ADDRESS", "127.0.0.1:" + metricsPort);
        return new AgentProcess(LoggedProcess.start(name,
                List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                        "run", "--config", config.toString()),
                environment, dir, logFile), metricsPort, logOffset);
    }

    /**
     * When this agent process's worker started polling its task queue, as the agent logged it
     * (its log lines start with a timestamp); empty until it has. Unlike Temporal's list of a
     * queue's pollers, which still shows a killed agent's poller for a while, this is this process's own.
     */
    Optional<Instant> pollingSince() {
        return linesOfThisProcess()
                .filter(line -> line.contains(POLLING))
                .findFirst()
                .map(line -> OffsetDateTime.parse(line.substring(0, line.indexOf(' ')),
                        DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    }

    /** For each line this process logged that {@code pattern} finds something in, its first group. */
    List<String> logLines(Pattern pattern) {
        return linesOfThisProcess()
                .map(pattern::matcher)
                .filter(Matcher::find)
                .map(match -> match.group(1))
                .toList();
    }

    private Stream<String> linesOfThisProcess() {
        try {
            byte[] all = Files.readAllBytes(process.logFile());
            int from = (int) Math.min(logOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8).lines();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + process.logFile(), e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
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
