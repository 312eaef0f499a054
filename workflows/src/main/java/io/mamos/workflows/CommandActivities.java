package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Agent-side activities. They are scheduled on the target agent's own task queue
 * ({@link TaskQueues#forAgent}) and implemented in the agent worker.
 */
@ActivityInterface
public interface CommandActivities {

    /**
     * Error type of the non-retryable failure an agent raises when it refuses a command: its signature
     * is missing, invalid, expired, replayed or for another agent, or its allowlist does not list it.
     */
    String COMMAND_REFUSED = "CommandRefused";

    /** The agent was shut down (SIGTERM) while the command ran; it killed the process tree. */
    String AGENT_SHUT_DOWN = "AgentShutDown";

    /** The executable exists in the allowlist but could not be started on the agent. */
    String COMMAND_START_FAILED = "CommandStartFailed";

    /** The invocation itself was malformed (non-positive timeout or output cap). */
    String INVALID_INVOCATION = "InvalidInvocation";

    /** {@link #awaitCommand}: this agent has no record of the command (it restarted since). */
    String COMMAND_UNKNOWN = "CommandUnknown";

    /**
     * Runs one command without a shell and returns its result. A non-zero exit code is a result,
     * not a failure. Heartbeats {@link CommandProgress} while the process runs.
     */
    @ActivityMethod(name = "RunCommand")
    CommandResult runCommand(CommandInvocation invocation);

    /**
     * The result of the command the workflow {@code workflowId} last sent this agent, once it
     * ends (heartbeating {@link CommandProgress} while it still runs). For a {@link #runCommand}
     * whose heartbeats stopped reaching Temporal: the agent keeps such a command running and its
     * result for a while. Fails with {@link #COMMAND_UNKNOWN} if the agent has no record of it.
     */
    @ActivityMethod(name = "AwaitCommand")
    CommandResult awaitCommand(String workflowId);
}
