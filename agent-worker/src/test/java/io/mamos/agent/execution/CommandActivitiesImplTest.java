package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import io.mamos.workflows.CommandSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandActivitiesImplTest {

    @TempDir
    Path workDir;

    private TestActivityEnvironment env;
    private CommandActivities activities;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RunningCommands commands = new RunningCommands(registry);
    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();

    @BeforeEach
    void setUp() {
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new CommandActivitiesImpl(orchestrator.verifier(),
                Allowlist.parse("/usr/bin/echo,/usr/bin/sleep,/usr/bin/false,/usr/bin/cat=" + workDir.resolve("logs")
                        + "/"), new ProcessRunner(workDir),
                commands));
        activities = env.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                // Short, because the SDK sends heartbeats (and learns of cancellation) at most
                // every 0.8 x this timeout.
                .setHeartbeatTimeout(Duration.ofSeconds(2))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void runsAnAllowlistedCommand() {
        CommandResult result = activities.runCommand(invocation("/usr/bin/echo", "hello", "$(id)"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("hello $(id)\n");
    }

    @Test
    void collectingACommandThisAgentHasNoRecordOfFailsAsUnknown() {
        assertThatThrownBy(() -> activities.awaitCommand("job-never-sent-here"))
                .isInstanceOf(ActivityFailure.class)
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                        assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_UNKNOWN));
    }

    @Test
    void reportsNonZeroExitAsAResult() {
        CommandResult result = activities.runCommand(invocation("/usr/bin/false"));

        assertThat(result.exitCode()).isEqualTo(1);
    }

    @Test
    void refusesAnExecutableOutsideTheAllowlist() {
        assertThatThrownBy(() -> activities.runCommand(invocation("/usr/bin/rm", "-rf", "/tmp/x")))
                .isInstanceOf(ActivityFailure.class)
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getOriginalMessage()).contains("/usr/bin/rm");
                });
    }

    @Test
    void catOfASymlinkUnderAnAllowedFolderPointingOutsideIsRefusedBeforeAnythingRuns() throws Exception {
        Path logs = java.nio.file.Files.createDirectories(workDir.resolve("logs"));
        Path secret = java.nio.file.Files.writeString(workDir.resolve("shadow"), "root:secret-hash");
        Path link = java.nio.file.Files.createSymbolicLink(logs.resolve("app.log"), secret);

        assertThatThrownBy(() -> activities.runCommand(invocation("/usr/bin/cat", link.toString())))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                    assertThat(failure.getOriginalMessage()).contains("symlinks resolved")
                            .doesNotContain("secret-hash");
                });
        assertThat(registry.get("mamos.agent.commands.refused").tag("reason", "allowlist").counter().count())
                .isEqualTo(1);
    }

    @Test
    void catOfAFileUnderAnAllowedFolderRunsWithItsResolvedPath() throws Exception {
        Path logs = java.nio.file.Files.createDirectories(workDir.resolve("logs"));
        java.nio.file.Files.writeString(logs.resolve("app.log"), "fine\n");
        java.nio.file.Files.createSymbolicLink(logs.resolve("current.log"), logs.resolve("app.log"));

        CommandResult result = activities.runCommand(invocation("/usr/bin/cat", logs + "/current.log",
                logs + "/./app.log"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("fine\nfine\n");
    }

    @Test
    void catClimbingOutOfAnAllowedFolderIsRefused() throws Exception {
        Path logs = java.nio.file.Files.createDirectories(workDir.resolve("logs"));
        java.nio.file.Files.writeString(workDir.resolve("outside"), "not for you");

        assertThatThrownBy(() -> activities.runCommand(invocation("/usr/bin/cat", logs + "/../outside")))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED));
    }

    @Test
    void refusesARelativeExecutable() {
        assertThatThrownBy(() -> activities.runCommand(invocation("echo", "hi")))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED));
    }

    @Test
    void returnsTimedOutWhenTheCommandOutlivesItsTimeout() {
        CommandInvocation invocation = orchestrator.invocation("/usr/bin/sleep", 1, "30");

        CommandResult result = activities.runCommand(invocation);

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(-1);
    }

    @Test
    void heartbeatsProgressWhileTheCommandRuns() {
        List<CommandProgress> progress = new CopyOnWriteArrayList<>();
        env.setActivityHeartbeatListener(CommandProgress.class, progress::add);

        CommandResult result = activities.runCommand(invocation("/usr/bin/sleep", "2"));

        assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress).allSatisfy(p -> assertThat(p.startedAtMillis()).isEqualTo(result.startedAtMillis()));
        assertThat(progress.get(progress.size() - 1).elapsedMillis()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void killsTheCommandWhenTheActivityIsCancelled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        env.setActivityHeartbeatListener(CommandProgress.class, progress -> running.countDown());
        CompletableFuture<CommandResult> call = CompletableFuture.supplyAsync(
                () -> activities.runCommand(invocation("/usr/bin/sleep", "30")));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        List<ProcessHandle> sleeping = ProcessTrees.sleepsUnder(ProcessHandle.current());
        assertThat(sleeping).isNotEmpty();

        env.requestCancelActivity();

        assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS))
                .rootCause()
                .isInstanceOf(CanceledFailure.class);
        ProcessTrees.awaitAllDead(sleeping);
    }

    @Test
    void countsRunningCommandsAndHowEachEnded() throws Exception {
        List<Integer> runningWhileRunning = new CopyOnWriteArrayList<>();
        env.setActivityHeartbeatListener(CommandProgress.class, progress -> runningWhileRunning.add(commands.count()));

        activities.runCommand(invocation("/usr/bin/sleep", "1"));
        activities.runCommand(invocation("/usr/bin/false"));
        assertThatThrownBy(() -> activities.runCommand(invocation("/usr/bin/rm", "-rf", "/tmp/x")));

        assertThat(runningWhileRunning).isNotEmpty().containsOnly(1);
        assertThat(commands.count()).isZero();
        assertThat(ended("succeeded")).isEqualTo(1);
        assertThat(ended("failed")).isEqualTo(1);
        assertThat(ended("refused")).isEqualTo(1);
        assertThat(ended("timed_out")).isZero();
        assertThat(registry.get("mamos.agent.command.duration").timer().count()).isEqualTo(2);
    }

    @Test
    void refusesAForgedCommandBeforeLookingAtItAndCountsWhy() {
        CommandInvocation genuine = invocation("/usr/bin/echo", "forged");
        CommandInvocation forged = new TestOrchestratorKey().resign(genuine);

        assertThatThrownBy(() -> activities.runCommand(forged))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                    assertThat(failure.isNonRetryable()).isTrue();
                    assertThat(failure.getOriginalMessage()).contains("command signature invalid");
                });
        assertThat(registry.get("mamos.agent.commands.refused").tag("reason", "bad_signature").counter().count())
                .isEqualTo(1);
        assertThat(ended("refused")).isEqualTo(1);
        assertThat(registry.get("mamos.agent.command.duration").timer().count()).isZero();
    }

    @Test
    void refusesTheSameSignedCommandTheSecondTime() {
        CommandInvocation genuine = invocation("/usr/bin/echo", "once");
        activities.runCommand(genuine);

        assertThatThrownBy(() -> activities.runCommand(genuine))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getOriginalMessage()).contains("replayed"));
        assertThat(registry.get("mamos.agent.commands.refused").tag("reason", "replay").counter().count())
                .isEqualTo(1);
    }

    private double ended(String result) {
        return registry.get("mamos.agent.commands").tag("result", result).counter().count();
    }

    private CommandInvocation invocation(String executable, String... args) {
        return orchestrator.invocation(executable, 10, args);
    }
}
