package io.mamos.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.agent.execution.FixedCallerRun;
import io.mamos.agent.execution.TestOrchestratorKey;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A simulated agent's commands, called as Temporal calls them (the test environment's workflow and run). */
class SimulatedCommandActivitiesTest {

    private static final String WORKFLOW_ID = "test-workflow-id";
    private static final String RUN_ID = "run-of-test-workflow";

    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();
    private TestActivityEnvironment env;
    private CommandActivities agent;

    @BeforeEach
    void setUp() {
        env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new FixedCallerRun(RUN_ID)).build())
                .build());
        env.registerActivitiesImplementations(new SimulatedCommandActivities(orchestrator.verifier(), null));
        agent = env.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void genuineCommandIsEchoedWithoutRunningAnything() {
        var result = agent.runCommand(orchestrator.invocation("/usr/bin/touch", 10, "/tmp/x"));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).startsWith(SimulatedCommandActivities.OUTPUT_PREFIX);
    }

    @Test
    void forgedOrReplayedCommandsAreRefusedLikeOnARealAgent() {
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10, "hi");
        agent.runCommand(genuine);

        assertRefused(() -> agent.runCommand(genuine), "replayed");
        assertRefused(() -> agent.runCommand(new TestOrchestratorKey().invocation("/usr/bin/echo", 10, "hi")),
                "signature invalid");
    }

    @Test
    void aResultWhoseCompletionWasLostIsCollectedByTheWorkflowThatRanIt() {
        CommandResult ran = agent.runCommand(orchestrator.invocation("/usr/bin/echo", 10, "hi"));

        assertThat(agent.awaitCommand(WORKFLOW_ID, 1, orchestrator.ticket(WORKFLOW_ID, RUN_ID, 1))).isEqualTo(ran);
        // A question for the latest attempt (0) means the ticket's.
        assertThat(agent.awaitCommand(WORKFLOW_ID, 0, orchestrator.ticket(WORKFLOW_ID, RUN_ID, 1))).isEqualTo(ran);
    }

    @Test
    void anAttemptItNeverRanIsUnknownAndAQuestionWithoutAGenuineTicketIsRefused() {
        agent.runCommand(orchestrator.invocation("/usr/bin/echo", 10, "hi"));

        assertThatThrownBy(() -> agent.awaitCommand(WORKFLOW_ID, 2, orchestrator.ticket(WORKFLOW_ID, RUN_ID, 2)))
                .isInstanceOfSatisfying(ActivityFailure.class, failure -> assertThat(
                        ((ApplicationFailure) failure.getCause()).getType()).isEqualTo(CommandActivities.COMMAND_UNKNOWN));
        assertRefused(() -> agent.awaitCommand(WORKFLOW_ID, 1, null), "");
        assertRefused(() -> agent.awaitCommand(WORKFLOW_ID, 1, orchestrator.ticket(WORKFLOW_ID, "another-run", 1)), "");
        assertRefused(() -> agent.awaitCommand(WORKFLOW_ID, 1,
                new TestOrchestratorKey().ticket(WORKFLOW_ID, RUN_ID, 1)), "");
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ActivityFailure.class, failure -> {
                    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
                    assertThat(cause.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                    assertThat(cause.isNonRetryable()).isTrue();
                    assertThat(cause.getOriginalMessage()).contains(message);
                });
    }
}
