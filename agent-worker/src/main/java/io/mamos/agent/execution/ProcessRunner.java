package io.mamos.agent.execution;

import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one argument vector as a child process, never through a shell: each argument reaches the
 * program literally, so {@code $(...)}, {@code ;} or {@code |} in an argument are just text.
 * The child gets an empty stdin, a minimal fixed environment (nothing of the agent's own,
 * which may hold secrets), capped output capture, and a hard wall-clock limit. Nothing it starts
 * outlives it: when it ends, however it ends, every process carrying its {@link ProcessTag} (which
 * daemonized children inherit, though they leave its process tree) is killed.
 */
public final class ProcessRunner {

    /** The whole environment a command sees, with its {@link ProcessTag#VARIABLE}. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "PATH", "/usr/local/bin:/usr/bin:/bin",
            "LANG", "C.UTF-8");

    /** How often progress is reported while a command runs. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    /** How much of the latest output each progress report carries. */
    static final int PROGRESS_TAIL_BYTES = 4096;

    /**
     * How long to keep reading after the process ended: a background process it left behind
     * may still hold the pipes open, and the result must not wait for it.
     */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

    private final Path workDir;
    private final ProcessTag tag;

    /**
     * @param workDir the working directory of every command
     * @param tag     marks every command's processes, so that what they leave behind can be found
     */
    public ProcessRunner(Path workDir, ProcessTag tag) {
        this.workDir = workDir;
        this.tag = tag;
    }

    /** A runner whose commands are tagged as this process's, for an agent with no id (tests, tools). */
    public ProcessRunner(Path workDir) {
        this(workDir, ProcessTag.forAgent("local"));
    }

    /**
     * Kills what commands of this agent, started by an earlier agent process that is gone (killed
     * with {@code kill -9}, say), left running. Run once at start, before taking commands.
     *
     * @return the processes killed
     */
    public List<ProcessHandle> killOrphansOfEarlierRuns() {
        return ProcessTree.killOrphans(tag);
    }

    /**
     * Runs {@code argv} to its end or until {@code timeout} passes, whichever comes first.
     * A non-zero exit is a normal result; on timeout the process tree is killed and the result
     * says {@code timedOut} with exit code {@code -1}.
     *
     * @param progress called about every {@link #PROGRESS_INTERVAL} while the process runs; if it
     *                 throws (the job was cancelled, say), the process tree is killed and the
     *                 exception propagates
     * @throws IOException if the process cannot be started
     */
    public CommandResult run(List<String> argv, Duration timeout, int maxOutputBytes,
                             Consumer<CommandProgress> progress) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(workDir.toFile())
                .redirectInput(Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(ENVIRONMENT);
        String tagValue = tag.nextValue();
        builder.environment().put(ProcessTag.VARIABLE, tagValue);

        CappedOutput stdout = CappedOutput.headAndTail(maxOutputBytes);
        CappedOutput stderr = CappedOutput.headAndTail(maxOutputBytes);
        CappedOutput recent = CappedOutput.tailOnly(PROGRESS_TAIL_BYTES);

        long startedAtMillis = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        Process process = builder.start();
        Thread stdoutPump = OutputPump.start("stdout-" + process.pid(), process.getInputStream(), stdout, recent);
        Thread stderrPump = OutputPump.start("stderr-" + process.pid(), process.getErrorStream(), stderr, recent);

        boolean timedOut = false;
        boolean settled = false;
        try {
            long deadline = startNanos + timeout.toNanos();
            while (true) {
                long now = System.nanoTime();
                progress.accept(new CommandProgress(startedAtMillis, TimeUnit.NANOSECONDS.toMillis(now - startNanos),
                        stdout.totalBytes() + stderr.totalBytes(), recent.text()));
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    timedOut = true;
                    break;
                }
                if (process.waitFor(Math.min(remaining, PROGRESS_INTERVAL.toNanos()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            }
            settled = true;
        } finally {
            // Any way out other than a normal end (timeout, cancellation, interrupt) kills the tree.
            if (timedOut || !settled) {
                ProcessTree.kill(process);
            }
            List<ProcessHandle> leftBehind = ProcessTree.killTagged(tagValue);
            if (!leftBehind.isEmpty()) {
                log.info("process {} left {} process(es) running when it ended; killed {}", process.pid(),
                        leftBehind.size(), leftBehind.stream().map(ProcessHandle::pid).toList());
            }
        }

        drain(stdoutPump, stderrPump, process.pid());
        return new CommandResult(
                timedOut ? -1 : process.exitValue(),
                stdout.text(),
                stderr.text(),
                stdout.truncated() || stderr.truncated(),
                timedOut,
                startedAtMillis,
                System.currentTimeMillis());
    }

    private static void drain(Thread stdoutPump, Thread stderrPump, long pid) throws InterruptedException {
        long deadline = System.nanoTime() + DRAIN_GRACE.toNanos();
        for (Thread pump : List.of(stdoutPump, stderrPump)) {
            long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            pump.join(Math.max(1, remainingMillis));
        }
        if (stdoutPump.isAlive() || stderrPump.isAlive()) {
            log.warn("process {} ended but something it started still holds its output open; "
                    + "reporting the output read so far", pid);
        }
    }
}
