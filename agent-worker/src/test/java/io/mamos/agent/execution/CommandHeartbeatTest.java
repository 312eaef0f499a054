package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's command activity under a (test) Temporal server that enforces the heartbeat timeout:
 * a task counts as started the moment the agent's worker takes it, so it must heartbeat from then
 * on, whatever comes before the process (signature and nonce checks, a slow disk).
 */
class CommandHeartbeatTest {

    private static final String AGENT_QUEUE = "agent-under-test";
    private static final String WORKFLOW_QUEUE = "workflow-under-test";
    /** Like the end-to-end stacks' heartbeat timeout, which the burst ran into. */
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(1);

    @TempDir
    Path workDir;

    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();
    private TestWorkflowEnvironment env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void aCommandWhoseNonceTakesLongerThanTheHeartbeatTimeoutToRecordHeartbeatsMeanwhileAndRuns() {
        // Recording the nonce takes three heartbeat timeouts, as an fsync on a loaded disk can.
        SeenNonces slowStore = SeenNonces.inMemory(new SlowClock(HEARTBEAT_TIMEOUT.multipliedBy(3)));
        start(new CommandActivitiesImpl(orchestrator.verifier(slowStore), Allowlist.parse("/usr/bin/echo"),
                new ProcessRunner(workDir), new RunningCommands()));

        String outcome = oneCommand().run(orchestrator.invocation("/usr/bin/echo", 10, "ran"));

        assertThat(outcome).isEqualTo("exit 0: ran\n");
    }

    private void start(CommandActivities agent) {
        env = TestWorkflowEnvironment.newInstance();
        env.newWorker(WORKFLOW_QUEUE).registerWorkflowImplementationTypes(OneCommandImpl.class);
        env.newWorker(AGENT_QUEUE).registerActivitiesImplementations(agent);
        env.start();
    }

    private OneCommand oneCommand() {
        return env.getWorkflowClient().newWorkflowStub(OneCommand.class,
                WorkflowOptions.newBuilder().setTaskQueue(WORKFLOW_QUEUE).setWorkflowId("job-1").build());
    }

    /** Sends one command to the agent's queue, as a job's run does, and says how it ended. */
    @WorkflowInterface
    public interface OneCommand {
        @WorkflowMethod
        String run(CommandInvocation invocation);
    }

    public static class OneCommandImpl implements OneCommand {
        @Override
        public String run(CommandInvocation invocation) {
            CommandActivities agent = Workflow.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
                    .setTaskQueue(AGENT_QUEUE)
                    .setStartToCloseTimeout(Duration.ofMinutes(1))
                    .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                    .build());
            try {
                var result = agent.runCommand(invocation);
                return "exit " + result.exitCode() + ": " + result.stdout();
            } catch (ActivityFailure failure) {
                return failure.getCause() instanceof TimeoutFailure timeout
                        ? "timed out: " + timeout.getTimeoutType()
                        : "failed: " + failure.getCause();
            }
        }
    }

    /** The system clock, except that every reading takes {@code delay}. */
    private static final class SlowClock extends Clock {
        private final Duration delay;

        SlowClock(Duration delay) {
            this.delay = delay;
        }

        @Override
        public long millis() {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
