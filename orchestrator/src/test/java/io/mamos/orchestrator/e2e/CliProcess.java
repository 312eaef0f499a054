package io.mamos.orchestrator.e2e;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator CLI {@code mamos} as a user runs it: the agent jar's {@code io.mamos.cli.Mamos}, in
 * a process of its own with its own config folder ({@code XDG_CONFIG_HOME}), no terminal, stdout
 * and stderr kept apart in files so {@code --json} can be parsed.
 */
final class CliProcess {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final List<String> args;

    private CliProcess(Process process, Path stdout, Path stderr, List<String> args) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.args = args;
    }

    /** Starts {@code mamos ARGS} with {@code stdin} as its input (null: none). */
    static CliProcess start(Path dir, Path configHome, String stdin, String... args) {
        int n = COUNTER.incrementAndGet();
        Path out = dir.resolve("cli-" + n + ".out");
        Path err = dir.resolve("cli-" + n + ".err");
        // Started from an interactive shell, a command gets Ctrl-C (SIGINT) at its default; a test JVM
        // forked by a build may have it ignored, and an ignored SIGINT is inherited and kept by the JVM.
        // python3 (which the scripts need anyway) restores the defaults (its own ignored SIGPIPE too),
        // then becomes the CLI (same pid).
        List<String> command = new ArrayList<>(List.of("python3", "-c",
                "import os, signal, sys\n"
                        + "for s in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ): signal.signal(s, signal.SIG_DFL)\n"
                        + "os.execv(sys.argv[1], sys.argv[1:])",
                Jars.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", Jars.agent().toString(), "io.mamos.cli.Mamos"));
        command.addAll(List.of(args));
        try {
            Path in = dir.resolve("cli-" + n + ".in");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("MAMOS_"));
            builder.environment().put("XDG_CONFIG_HOME", configHome.toString());
            return new CliProcess(builder.start(), out, err, List.of(args));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start mamos " + String.join(" ", args), e);
        }
    }

    /** Runs {@code mamos ARGS} to its end. */
    static CliProcess run(Path dir, Path configHome, String stdin, String... args) {
        CliProcess cli = start(dir, configHome, stdin, args);
        cli.awaitExit(Duration.ofSeconds(120));
        return cli;
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("mamos " + String.join(" ", args) + " did not end within "
                        + timeout.toSeconds() + "s; " + this);
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    int exitCode() {
        return process.exitValue();
    }

    /** Ctrl-C, as a shell sends it: SIGINT. */
    void interrupt() {
        try {
            int exit = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -INT " + process.pid() + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void destroy() {
        process.destroyForcibly();
    }

    String stdout() {
        return read(stdout.toFile());
    }

    String stderr() {
        return read(stderr.toFile());
    }

    private static String read(File file) {
        try {
            return Files.readString(file.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "mamos " + String.join(" ", args) + (process.isAlive() ? " (running)" : " (exit " + process.exitValue()
                + ")") + "\n--- stdout ---\n" + stdout() + "--- stderr ---\n" + stderr();
    }
}
