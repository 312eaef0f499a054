package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * An operating-system process of the end-to-end tests whose output (stdout and stderr)
 * is appended to a log file, so that a failing test can show what the process said.
 */
final class LoggedProcess {

    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ )");

    /** Processes still running when the test JVM exits (a crash, a forked-JVM timeout) are killed. */
    private static final Set<Process> started = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> started.stream().filter(Process::isAlive).forEach(Process::destroyForcibly),
                "e2e-process-reaper"));
    }

    private final String name;
    private final Path logFile;
    private final Process process;

    private LoggedProcess(String name, Path logFile, Process process) {
        this.name = name;
        this.logFile = logFile;
        this.process = process;
    }

    /**
     * Starts {@code command} with {@code env} added to this JVM's environment. Inherited
     * {@code MAMOS_*} variables are dropped first, so a developer's shell cannot change what
     * the tests run.
     */
    static LoggedProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile) {
        try {
            Files.createDirectories(logFile.getParent());
            Files.writeString(logFile, "----- " + Instant.now() + " starting " + name + ": " + String.join(" ", command)
                    + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().keySet().removeIf(key -> key.startsWith("MAMOS_"));
            builder.environment().putAll(env);
            Process process = builder.start();
            started.add(process);
            process.getOutputStream().close(); // nothing reads a terminal
            return new LoggedProcess(name, logFile, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} to its end (at most {@code timeout}) and returns its exit code. */
    static int run(String name, List<String> command, Map<String, String> env, Path workDir, Path logFile,
            Duration timeout) {
        LoggedProcess process = start(name, command, env, workDir, logFile);
        try {
            if (!process.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.kill();
                throw new AssertionError(name + " did not finish within " + timeout.toSeconds() + "s"
                        + System.lineSeparator() + process.tail(40));
            }
            return process.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** What {@link #capture} saw: the exit code and everything the command wrote to stdout. */
    record Output(int exitCode, String stdout) {
    }

    /**
     * Runs {@code command} (at most {@code timeout}) with {@code env} added to this JVM's
     * environment and returns its stdout; its stderr is appended to {@code stderrLog}.
     */
    static Output capture(List<String> command, Map<String, String> env, Path workDir, Path stderrLog,
            Duration timeout) {
        try {
            Path stdout = Files.createTempFile(workDir, "capture-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(stdout.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
            builder.environment().putAll(env);
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new IllegalStateException(String.join(" ", command) + " hung for " + timeout.toSeconds() + "s");
                }
                return new Output(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(stdout);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path logFile() {
        return logFile;
    }

    /** SIGTERM, then SIGKILL if the process is still there after a grace period. */
    void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** SIGKILL (kill -9): the process gets no chance to clean up. Waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " (pid " + pid() + ") survived SIGKILL for 30s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
    }

    /** The last {@code lines} lines of the log, headed by the file's path. */
    String tail(int lines) {
        return tailOf(name, logFile, lines);
    }

    /**
     * The last {@code lines} lines of a log, without stack frames ({@code at ...} lines), so
     * that exception messages and their causes fit in what a failing test prints.
     */
    static String tailOf(String name, Path logFile, int lines) {
        try {
            if (!Files.exists(logFile)) {
                return "===== " + name + ": no log at " + logFile;
            }
            // Lenient decoding: a log must stay readable even if a process wrote odd bytes.
            List<String> all = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines()
                    .filter(line -> !STACK_FRAME.matcher(line).find())
                    .toList();
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "===== last " + last.size() + " lines of " + name + ", stack frames left out (" + logFile + ")"
                    + System.lineSeparator() + String.join(System.lineSeparator(), last);
        } catch (IOException e) {
            return "===== " + name + ": could not read " + logFile + ": " + e;
        }
    }

    /** Stops each of these (processes, servers; nulls skipped), each even if stopping another failed. */
    static void closeAll(List<? extends AutoCloseable> running) {
        for (AutoCloseable process : running) {
            if (process == null) {
                continue;
            }
            try {
                process.close();
            } catch (Exception e) {
                System.err.println("[e2e] could not stop " + process + ": " + e);
            }
        }
    }
}
