package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.CommandUnknownDetails;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
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

    /** The test environment's calling workflow, and the one run of it every call comes from here. */
    private static final String WORKFLOW_ID = "test-workflow-id";
    private static final String RUN_ID = "run-of-test-workflow";

    @BeforeEach
    void setUp() {
        env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new FixedCallerRun(RUN_ID)).build())
                .build());
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
        assertThatThrownBy(() -> activities.awaitCommand("job-never-sent-here", 1, ticket(1)))
                .isInstanceOf(ActivityFailure.class)
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure ->
                        assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_UNKNOWN));
    }

    @Test
    void aNoRecordAnswerSaysHowLongThisAgentHasBeenUpAndHowFarBackItRemembers() {
        assertThatThrownBy(() -> activities.awaitCommand("ignored", 1, ticket(1)))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    CommandUnknownDetails details = failure.getDetails().get(0, CommandUnknownDetails.class);
                    assertThat(details.incarnation()).isNotBlank();
                    assertThat(details.upForMillis()).isNotNegative();
                    assertThat(details.remembersForMillis()).isBetween(0L, details.upForMillis());
                });
    }

    @Test
    void aCommandWhoseWorkflowWasToldNoRecordIsRefusedWhenItArrivesLate() {
        assertThatThrownBy(() -> activities.awaitCommand("ignored", 1, ticket(1))).isInstanceOf(ActivityFailure.class);

        assertThatThrownBy(() -> activities.runCommand(invocation("/usr/bin/echo", "late")))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_GIVEN_UP));
        assertThat(ended("succeeded")).isZero();
        assertThat(registry.get("mamos.agent.command.duration").timer().count()).isZero();
    }

    @Test
    void aCommandThatRanIsCollectedByItsAttempt() {
        CommandResult ran = activities.runCommand(invocation("/usr/bin/echo", "kept"));

        CommandResult collected = activities.awaitCommand("ignored", 1, ticket(1));

        assertThat(collected).isEqualTo(ran);
        assertThatThrownBy(() -> activities.awaitCommand("ignored", 2, ticket(2)))
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_UNKNOWN));
    }

    @Test
    void aQuestionWithoutTheOrchestratorsTicketForThisVeryRunIsRefusedAndChangesNothing() {
        CommandResult ran = activities.runCommand(invocation("/usr/bin/echo", "secret output"));

        // No ticket (an older workflow or a forger); a genuine ticket read from the job's history
        // but asked with by another run of the same workflow id; one for another attempt.
        for (var forged : List.of(
                (Runnable) () -> activities.awaitCommand(WORKFLOW_ID, 1, null),
                () -> activities.awaitCommand(WORKFLOW_ID, 1, orchestrator.ticket(WORKFLOW_ID, "an-earlier-run", 1)),
                () -> activities.awaitCommand(WORKFLOW_ID, 1, ticket(2)),
                () -> activities.awaitCommand(WORKFLOW_ID, 1, new TestOrchestratorKey().ticket(WORKFLOW_ID, RUN_ID, 1)))) {
            assertThatThrownBy(forged::run)
                    .cause()
                    .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                        assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                        assertThat(failure.isNonRetryable()).isTrue();
                        assertThat(failure.getOriginalMessage()).doesNotContain("secret output");
                    });
        }
        // A refused question looks nothing up: attempt 2 is not given up and still runs when it comes.
        assertThat(activities.runCommand(sign(2, "/usr/bin/echo", "second")).stdout()).isEqualTo("second\n");
        assertThat(activities.awaitCommand(WORKFLOW_ID, 1, ticket(1))).isEqualTo(ran);
        assertThat(registry.get("mamos.agent.commands.refused").tag("reason", "unsigned").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("mamos.agent.commands.refused").tag("reason", "wrong_caller").counter().count())
                .isEqualTo(2);
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
        // Heartbeats carry no progress (null) until the process started.
        env.setActivityHeartbeatListener(CommandProgress.class, p -> {
            if (p != null) {
                progress.add(p);
            }
        });

        // The first heartbeat goes out at once, before the process started; later ones at most
        // every 0.8 x the heartbeat timeout: a 4 s command shows progress at least twice.
        CommandResult result = activities.runCommand(invocation("/usr/bin/sleep", "4"));

        assertThat(progress).hasSizeGreaterThanOrEqualTo(2);
        assertThat(progress).allSatisfy(p -> assertThat(p.startedAtMillis()).isEqualTo(result.startedAtMillis()));
        assertThat(progress.get(progress.size() - 1).elapsedMillis()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void killsTheCommandWhenTheActivityIsCancelled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        env.setActivityHeartbeatListener(CommandProgress.class, progress -> {
            if (progress != null) {
                running.countDown();
            }
        });
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
        // Heartbeats carry no progress (null) until the process started.
        env.setActivityHeartbeatListener(CommandProgress.class, progress -> {
            if (progress != null) {
                runningWhileRunning.add(commands.count());
            }
        });

        // Long enough for a heartbeat after the first (sent before the process started).
        activities.runCommand(invocation("/usr/bin/sleep", "2"));
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

    /** Attempt {@code attempt} of the job's command, signed. */
    private CommandInvocation sign(int attempt, String executable, String... args) {
        return orchestrator.sign(CommandInvocation.unsigned("job-1", TestOrchestratorKey.AGENT_ID, attempt,
                new CommandSpec("test", executable, List.of(args)), 10, 64 * 1024), 60);
    }

    /** The orchestrator's ticket for this environment's workflow run to collect attempt {@code attempt}. */
    private AwaitTicket ticket(int attempt) {
        return orchestrator.ticket(WORKFLOW_ID, RUN_ID, attempt);
    }
}
