package io.mamos.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.agent.execution.TestOrchestratorKey;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.Test;

class SimulatedCommandActivitiesTest {

    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();
    private final SimulatedCommandActivities agent = new SimulatedCommandActivities(orchestrator.verifier(), null);

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

        assertRefused(genuine, "replayed");
        assertRefused(new TestOrchestratorKey().invocation("/usr/bin/echo", 10, "hi"), "signature invalid");
    }

    private void assertRefused(CommandInvocation invocation, String message) {
        assertThatThrownBy(() -> agent.runCommand(invocation))
                .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                    assertThat(failure.getType()).isEqualTo(CommandActivities.COMMAND_REFUSED);
                    assertThat(failure.isNonRetryable()).isTrue();
                })
                .hasMessageContaining(message);
    }
}
