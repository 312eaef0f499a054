package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static final int CAP = 64 * 1024;
    private static final Consumer<CommandProgress> IGNORE = progress -> { };

    @TempDir
    Path workDir;

    @Test
    void capturesStandardOutput() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/echo", "hello", "world"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("hello world\n");
        assertThat(result.stderr()).isEmpty();
        assertThat(result.timedOut()).isFalse();
        assertThat(result.outputTruncated()).isFalse();
        assertThat(result.finishedAtMillis()).isGreaterThanOrEqualTo(result.startedAtMillis());
    }

    @Test
    void passesShellMetacharactersLiterally() throws Exception {
        String hostile = "$(whoami); rm -rf /tmp/x | cat `id` && echo $HOME > /tmp/y";

        CommandResult result = runner().run(List.of("/usr/bin/echo", hostile), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.stdout()).isEqualTo(hostile + "\n");
    }

    @Test
    void reportsNonZeroExitAsAResult() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/false"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void capturesStandardErrorSeparately() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/cat", "/no/such/file"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.stderr()).contains("/no/such/file");
    }

    @Test
    void givesTheCommandOnlyPathLangAndItsTag() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/env"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.stdout().lines()).hasSize(3).contains(
                "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8");
        assertThat(result.stdout().lines().filter(line -> line.startsWith("MAMOS_COMMAND=")).findFirst())
                .hasValueSatisfying(tag -> assertThat(tag).matches("MAMOS_COMMAND=local/\\d+-\\d+/\\d+"));
    }

    @Test
    void daemonizedChildrenAreGoneWhenTheCommandEnds() throws Exception {
        // setsid + & + redirected output: the child leaves the command's process tree and its pipes.
        CommandResult result = runner().run(List.of("/bin/sh", "-c",
                "/usr/bin/setsid /usr/bin/sleep 300 </dev/null >/dev/null 2>&1 & echo $!"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.exitCode()).isZero();
        long daemon = Long.parseLong(result.stdout().strip());
        ProcessTrees.awaitAllDead(ProcessHandle.of(daemon).stream().toList());
    }

    @Test
    void aBackgroundChildHoldingTheOutputDoesNotOutliveTheCommand() throws Exception {
        long start = System.nanoTime();
        CommandResult result = runner().run(List.of("/bin/sh", "-c", "/usr/bin/sleep 300 & echo started $!"),
                TEN_SECONDS, CAP, IGNORE);

        assertThat(result.stdout()).startsWith("started ");
        long child = Long.parseLong(result.stdout().strip().substring("started ".length()));
        ProcessTrees.awaitAllDead(ProcessHandle.of(child).stream().toList());
        // Killed at the command's end, so its output is read to the end without waiting out the drain grace.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void orphansOfAnEarlierAgentProcessAreKilledAndOthersAreLeftAlone() throws Exception {
        // A command started by an agent process that is gone (a pid that cannot be running) ...
        Process orphan = tagged("agent-a/999999999-1/7");
        // ... another agent's command, and a command of a running agent process (this one).
        Process otherAgent = tagged("agent-b/999999999-1/7");
        ProcessTag current = ProcessTag.forAgent("agent-a");
        Process sibling = tagged(current.nextValue());
        try {
            List<ProcessHandle> killed = new ProcessRunner(workDir, ProcessTag.forAgent("agent-a"))
                    .killOrphansOfEarlierRuns();

            assertThat(killed).extracting(ProcessHandle::pid).containsExactly(orphan.pid());
            assertThat(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(otherAgent.isAlive()).isTrue();
            assertThat(sibling.isAlive()).isTrue();
        } finally {
            List.of(orphan, otherAgent, sibling).forEach(Process::destroyForcibly);
        }
    }

    private Process tagged(String value) throws java.io.IOException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/sleep", "300").directory(workDir.toFile());
        builder.environment().put(ProcessTag.VARIABLE, value);
        return builder.start();
    }

    @Test
    void givesTheCommandAnEmptyStandardInput() throws Exception {
        // cat without arguments copies stdin: it must see end-of-file at once, not hang.
        CommandResult result = runner().run(List.of("/usr/bin/cat"), TEN_SECONDS, CAP, IGNORE);

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEmpty();
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void runsInTheWorkDirectory() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/pwd"), TEN_SECONDS, CAP, IGNORE);

        assertThat(Path.of(result.stdout().strip()).toRealPath()).isEqualTo(workDir.toRealPath());
    }

    @Test
    void keepsHeadAndTailOfOutputBeyondTheCap() throws Exception {
        CommandResult result = runner().run(List.of("/usr/bin/seq", "1", "100000"), TEN_SECONDS, 1000, IGNORE);

        assertThat(result.outputTruncated()).isTrue();
        assertThat(result.stdout()).startsWith("1\n2\n3\n");
        assertThat(result.stdout()).endsWith("99999\n100000\n");
        assertThat(result.stdout()).containsPattern("\\n\\[\\.\\.\\. \\d+ bytes omitted by mamos-agent \\.\\.\\.]\\n");
        assertThat(result.stdout()).doesNotContain("\n50000\n");
    }

    @Test
    void reportsProgressWhileTheCommandRuns() throws Exception {
        List<CommandProgress> reports = new CopyOnWriteArrayList<>();

        runner().run(List.of("/usr/bin/sleep", "2.5"), TEN_SECONDS, CAP, reports::add);

        assertThat(reports).hasSizeGreaterThanOrEqualTo(3);
        CommandProgress last = reports.get(reports.size() - 1);
        assertThat(last.elapsedMillis()).isGreaterThanOrEqualTo(1500);
        assertThat(last.startedAtMillis()).isEqualTo(reports.get(0).startedAtMillis());
    }

    @Test
    void killsTheProcessTreeWhenTheTimeoutPasses() throws Exception {
        // timeout(1) forks sleep as its child: the test checks that the grandchild dies too.
        List<ProcessHandle> seen = new ArrayList<>();
        Consumer<CommandProgress> watchChildren = progress -> seen.addAll(ProcessTrees.sleepsUnder(ProcessHandle.current()));

        long start = System.nanoTime();
        CommandResult result = runner().run(List.of("/usr/bin/timeout", "60", "/usr/bin/sleep", "30"),
                Duration.ofSeconds(2), CAP, watchChildren);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
        assertThat(seen).as("sleep processes seen while running").isNotEmpty();
        ProcessTrees.awaitAllDead(seen);
    }

    @Test
    void killsTheProcessTreeAndRethrowsWhenProgressReportingFails() {
        List<ProcessHandle> seen = new ArrayList<>();
        AtomicInteger reports = new AtomicInteger();
        Consumer<CommandProgress> cancelOnSecondReport = progress -> {
            seen.addAll(ProcessTrees.sleepsUnder(ProcessHandle.current()));
            if (reports.incrementAndGet() == 2) {
                throw new IllegalStateException("cancelled");
            }
        };

        assertThatThrownBy(() -> runner().run(List.of("/usr/bin/timeout", "60", "/usr/bin/sleep", "30"),
                TEN_SECONDS, CAP, cancelOnSecondReport))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cancelled");
        assertThat(seen).isNotEmpty();
        ProcessTrees.awaitAllDead(seen);
    }

    private ProcessRunner runner() {
        return new ProcessRunner(workDir);
    }
}
