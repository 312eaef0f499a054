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

    /**
     * {@link #awaitCommand}: this agent process has no record of the command. Its details are a
     * {@link CommandUnknownDetails}: how long the process has been up and how far back its record
     * reaches, so the workflow can tell whether it restarted since the dispatch or never received it.
     */
    String COMMAND_UNKNOWN = "CommandUnknown";

    /**
     * {@link #runCommand}: the task reached the agent only after its workflow had asked for it and
     * been told the agent had no record of it; the agent did not run it.
     */
    String COMMAND_GIVEN_UP = "CommandGivenUp";

    /**
     * Runs one command without a shell and returns its result. A non-zero exit code is a result,
     * not a failure. Heartbeats {@link CommandProgress} while the process runs.
     */
    @ActivityMethod(name = "RunCommand")
    CommandResult runCommand(CommandInvocation invocation);

    /**
     * The result of attempt {@code attempt} of the command the calling workflow sent this agent,
     * once it ends (heartbeating {@link CommandProgress} while it still runs). For a
     * {@link #runCommand} whose heartbeats stopped reaching Temporal: the agent keeps such a command
     * running and its result for a while. Fails with {@link #COMMAND_UNKNOWN} if the agent has no
     * record of it; that attempt's task, should it still arrive, is then refused, not run. Fails
     * with {@link #COMMAND_REFUSED}, and looks nothing up, unless {@code ticket} is the
     * orchestrator's, for this agent and attempt, unexpired, and for the calling workflow's very run.
     *
     * @param workflowId the calling workflow's id; the agent answers for the workflow Temporal says
     *                   called, whatever this says
     * @param attempt    the attempt's number ({@link CommandInvocation#attempt()}); 0, as workflows that
     *                   predate it send (the argument is missing), means the latest the agent knows
     * @param ticket     the orchestrator's signed leave to ask; null from workflows that predate it,
     *                   which agents since then refuse
     */
    @ActivityMethod(name = "AwaitCommand")
    CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket);
}
