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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A simulated agent's commands: nothing is executed. Every command "succeeds" at once with exit
 * code 0 and echoes its name and arguments, prefixed so no one mistakes it for real output. This
 * is what lets one small machine stand in for a fleet: the path measured is Temporal and the
 * orchestrator, not process spawning. Signatures are checked as on a real agent (nonces in memory),
 * and, as a real agent's ledger does, the agent remembers its latest results, so a workflow that
 * lost a command's completion (its heartbeat timed out first, e.g. on a loaded server) collects it.
 */
final class SimulatedCommandActivities implements CommandActivities {

    static final String OUTPUT_PREFIX = "[simulated, nothing executed] ";

    /** Results remembered per simulated agent, the latest first to stay. */
    static final int REMEMBERED_RESULTS = 64;

    private final CommandVerifier verifier;
    /** Where each execution is appended as "task-queue job-id", so tests can count them; or null. */
    private final Path executionsLog;
    /** Latest results by "workflow id#attempt", as a real agent's ledger answers AwaitCommand. */
    private final Map<String, CommandResult> results = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CommandResult> eldest) {
            return size() > REMEMBERED_RESULTS;
        }
    };

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
        CommandResult result = new CommandResult(0, OUTPUT_PREFIX + echoed.strip() + "\n", "", false, false, now,
                now);
        synchronized (results) {
            results.put(key(Activity.getExecutionContext().getInfo().getWorkflowId(), invocation.attempt()), result);
        }
        return result;
    }

    private static String key(String workflowId, int attempt) {
        return workflowId + "#" + attempt;
    }

    private synchronized void record(String line) {
        try {
            Files.writeString(executionsLog, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the execution in " + executionsLog, e);
        }
    }

    /**
     * Simulated commands end at once, so there is never one to wait for: the result if this agent
     * still remembers it, else no record. The caller is the one Temporal names, as on a real agent.
     */
    @Override
    public CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket) {
        var info = Activity.getExecutionContext().getInfo();
        try {
            verifier.verifyAwait(ticket, info.getWorkflowId(), info.getRunId(), attempt);
        } catch (CommandRefusedException refused) {
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
        }
        CommandResult result;
        synchronized (results) {
            // The ticket is verified: it names the attempt a question for the latest (0) means.
            result = results.get(key(info.getWorkflowId(), attempt != 0 ? attempt : ticket.attempt()));
        }
        if (result == null) {
            throw ApplicationFailure.newNonRetryableFailure("this simulated agent has no record of attempt "
                    + attempt + " (it remembers its latest " + REMEMBERED_RESULTS + " results)", COMMAND_UNKNOWN);
        }
        return result;
    }
}
