package io.mamos.agent.simulate;

import io.mamos.agent.execution.CommandRefusedException;
import io.mamos.agent.execution.CommandVerifier;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.temporal.failure.ApplicationFailure;

/**
 * A simulated agent's commands: nothing is executed. Every command "succeeds" at once with exit
 * code 0 and echoes its name and arguments, prefixed so no one mistakes it for real output. This
 * is what lets one small machine stand in for a fleet: the path measured is Temporal and the
 * orchestrator, not process spawning. Signatures are checked as on a real agent (nonces in memory).
 */
final class SimulatedCommandActivities implements CommandActivities {

    static final String OUTPUT_PREFIX = "[simulated, nothing executed] ";

    private final CommandVerifier verifier;

    /** @param verifier the simulated agent's own, with the key it pinned at enrollment: signatures are real */
    SimulatedCommandActivities(CommandVerifier verifier) {
        this.verifier = verifier;
    }

    @Override
    public CommandResult runCommand(CommandInvocation invocation) {
        try {
            verifier.verify(invocation);
        } catch (CommandRefusedException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
        }
        long now = System.currentTimeMillis();
        String echoed = invocation.command().name() + " " + String.join(" ", invocation.command().args());
        return new CommandResult(0, OUTPUT_PREFIX + echoed.strip() + "\n", "", false, false, now, now);
    }
}
