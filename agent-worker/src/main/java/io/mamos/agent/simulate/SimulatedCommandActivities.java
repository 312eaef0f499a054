package io.mamos.agent.simulate;

import io.mamos.agent.execution.CommandRefusedException;
import io.mamos.agent.execution.CommandVerifier;
import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A simulated agent's commands: nothing is executed. Every command "succeeds" at once with exit
 * code 0 and echoes its name and arguments, prefixed so no one mistakes it for real output. This
 * is what lets one small machine stand in for a fleet: the path measured is Temporal and the
 * orchestrator, not process spawning. Signatures are checked as on a real agent (nonces in memory).
 */
final class SimulatedCommandActivities implements CommandActivities {

    static final String OUTPUT_PREFIX = "[simulated, nothing executed] ";

    private final CommandVerifier verifier;
    /** Where each execution is appended as "task-queue job-id", so tests can count them; or null. */
    private final Path executionsLog;

    /**
     * @param verifier      the simulated agent's own, with the key it pinned at enrollment: signatures are real
     * @param executionsLog where each execution is appended, or null
     */
    SimulatedCommandActivities(CommandVerifier verifier, Path executionsLog) {
        this.verifier = verifier;
        this.executionsLog = executionsLog;
    }

    @Override
    public CommandResult runCommand(CommandInvocation invocation) {
        try {
            verifier.verify(invocation);
        } catch (CommandRefusedException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
        }
        if (executionsLog != null) {
            record(Activity.getExecutionContext().getInfo().getActivityTaskQueue() + " " + invocation.jobId() + "\n");
        }
        long now = System.currentTimeMillis();
        String echoed = invocation.command().name() + " " + String.join(" ", invocation.command().args());
        return new CommandResult(0, OUTPUT_PREFIX + echoed.strip() + "\n", "", false, false, now, now);
    }

    private synchronized void record(String line) {
        try {
            Files.writeString(executionsLog, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the execution in " + executionsLog, e);
        }
    }

    /** Simulated commands end at once and keep nothing: there is never a result left to collect. */
    @Override
    public CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket) {
        var info = Activity.getExecutionContext().getInfo();
        try {
            verifier.verifyAwait(ticket, info.getWorkflowId(), info.getRunId(), attempt);
        } catch (CommandRefusedException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
        }
        throw ApplicationFailure.newNonRetryableFailure("a simulated agent keeps no results", COMMAND_UNKNOWN);
    }
}
