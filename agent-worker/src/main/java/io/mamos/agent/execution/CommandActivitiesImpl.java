package io.mamos.agent.execution;

import io.mamos.agent.execution.RunningCommands.Outcome;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of a job: verifies the command's signature, checks it against the local
 * allowlist, runs it, and
 * heartbeats its progress so the orchestrator sees it alive and can cancel it.
 */
public final class CommandActivitiesImpl implements CommandActivities {

    /**
     * Upper bound on the per-stream output cap, whatever the invocation asks: both streams travel
     * in one Temporal payload, and the server rejects payloads over 2 MiB by default.
     */
    public static final int MAX_OUTPUT_BYTES_CEILING = 512 * 1024;

    private static final Logger log = LoggerFactory.getLogger(CommandActivitiesImpl.class);

    private final CommandVerifier verifier;
    private final Allowlist allowlist;
    private final ProcessRunner runner;
    private final RunningCommands commands;
    private final CommandLedger ledger = new CommandLedger();

    /**
     * @param verifier checks every invocation's signature, addressee, expiry and nonce before anything else
     * @param commands counts running commands and records how each ended
     */
    public CommandActivitiesImpl(CommandVerifier verifier, Allowlist allowlist, ProcessRunner runner,
                                 RunningCommands commands) {
        this.verifier = verifier;
        this.allowlist = allowlist;
        this.runner = runner;
        this.commands = commands;
    }

    @Override
    public CommandResult runCommand(CommandInvocation invocation) {
        verified(invocation);
        ActivityExecutionContext context = Activity.getExecutionContext();
        String jobId = invocation.jobId();
        Path executable = permittedExecutable(invocation);
        if (invocation.timeoutSeconds() <= 0 || invocation.maxOutputBytes() <= 0) {
            commands.notStarted(Outcome.ERROR);
            throw ApplicationFailure.newNonRetryableFailure(
                    "timeoutSeconds and maxOutputBytes must be positive", INVALID_INVOCATION);
        }
        int maxOutputBytes = Math.min(invocation.maxOutputBytes(), MAX_OUTPUT_BYTES_CEILING);

        List<String> argv = new ArrayList<>();
        argv.add(executable.toString());
        argv.addAll(permittedArguments(invocation, executable));
        // Argument values can be sensitive; their count is enough at info level.
        log.info("job {} running {} ({}) with {} argument(s), timeout {}s", jobId,
                invocation.command().name(), executable, invocation.command().args().size(),
                invocation.timeoutSeconds());
        log.debug("job {} argv {}", jobId, argv);

        long startedNanos = commands.started();
        Outcome outcome = Outcome.ERROR;
        CommandLedger.Entry entry = ledger.started(context.getInfo().getWorkflowId());
        try {
            CommandResult result = runner.run(argv, Duration.ofSeconds(invocation.timeoutSeconds()),
                    maxOutputBytes, progress -> heartbeat(context, jobId, entry, progress));
            outcome = result.timedOut() ? Outcome.TIMED_OUT
                    : result.exitCode() == 0 ? Outcome.SUCCEEDED
                    : Outcome.FAILED;
            log.info("job {} ended: exit code {}, timed out {}, output truncated {}", jobId,
                    result.exitCode(), result.timedOut(), result.outputTruncated());
            entry.ended(result);
            return result;
        } catch (ActivityWorkerShutdownException shutdown) {
            // The SDK's own exception would reach the job record as an opaque type and task ids;
            // say plainly what happened instead.
            outcome = Outcome.CANCELED;
            log.info("job {} killed because the agent is shutting down", jobId);
            ApplicationFailure failure = ApplicationFailure.newNonRetryableFailure(
                    "the agent shut down while the command ran; its process was killed", AGENT_SHUT_DOWN);
            entry.failed(failure);
            throw failure;
        } catch (ActivityCompletionException stopped) {
            // Cancelled, timed out on the server, or the worker is shutting down: the process
            // tree is already killed; rethrowing lets Temporal record why.
            outcome = stopped instanceof ActivityCanceledException ? Outcome.CANCELED : Outcome.ERROR;
            log.info("job {} stopped and its process killed: {}", jobId, stopped.getClass().getSimpleName());
            entry.failed(ApplicationFailure.newNonRetryableFailure("the command was stopped and its process killed",
                    stopped.getClass().getSimpleName()));
            throw stopped;
        } catch (IOException e) {
            log.warn("job {} could not start {}: {}", jobId, executable, e.getMessage());
            ApplicationFailure failure = ApplicationFailure.newNonRetryableFailure(
                    "could not start " + executable + ": " + e.getMessage(), COMMAND_START_FAILED);
            entry.failed(failure);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } finally {
            commands.ended(startedNanos, outcome);
            if (!entry.outcome.isDone()) {
                entry.failed(ApplicationFailure.newNonRetryableFailure("the command ended without a result",
                        "CommandInterrupted"));
            }
        }
    }

    /**
     * Heartbeats the command's progress. When the SDK gives up on reaching Temporal (no heartbeat
     * got through for the heartbeat timeout: Temporal or the network is down), or Temporal, back,
     * says it timed the activity out meanwhile, the command is NOT killed: it runs on, and its result waits in the ledger for the workflow to collect with
     * {@link #awaitCommand}. A stop the workflow asked for through that collection kills it.
     */
    private static void heartbeat(ActivityExecutionContext context, String jobId, CommandLedger.Entry entry,
            CommandProgress progress) {
        entry.progress = progress;
        if (entry.stopRequested) {
            throw new ActivityCanceledException(context.getInfo());
        }
        if (entry.unreachable) {
            return;
        }
        try {
            context.heartbeat(progress);
        } catch (ActivityCanceledException | ActivityNotExistsException stopped) {
            // A real cancel comes without a timeout as its cause. Not-exists: Temporal, back from an
            // outage, already timed the activity out.
            if (stopped instanceof ActivityCanceledException && !(stopped.getCause() instanceof TimeoutFailure)) {
                throw stopped;
            }
            entry.unreachable = true;
            log.warn("job {}: its heartbeats did not reach Temporal within the heartbeat timeout ({}); the "
                    + "command runs on and its result is kept for the job to collect", jobId,
                    stopped.getClass().getSimpleName());
        }
    }

    @Override
    public CommandResult awaitCommand(String workflowId) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        CommandLedger.Entry entry = ledger.find(workflowId).orElseThrow(() -> {
            log.info("asked by {} for a command this agent has no record of", workflowId);
            return ApplicationFailure.newNonRetryableFailure(
                    "the agent has no record of the command (it restarted since it started it)", COMMAND_UNKNOWN);
        });
        log.info("{} collects the result of its command", workflowId);
        try {
            while (true) {
                try {
                    return entry.outcome.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    context.heartbeat(entry.progress);
                }
            }
        } catch (ActivityCompletionException stopped) {
            // The job was cancelled (or this collection timed out): stop the command too.
            entry.stopRequested = true;
            throw stopped;
        } catch (ExecutionException ended) {
            throw ended.getCause() instanceof ApplicationFailure failure ? failure : Activity.wrap(ended.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        }
    }

    private void verified(CommandInvocation invocation) {
        try {
            verifier.verify(invocation);
        } catch (CommandRefusedException refused) {
            throw refusal(invocation, refused);
        }
    }

    private Path permittedExecutable(CommandInvocation invocation) {
        String requested = invocation.command() == null ? null : invocation.command().executable();
        try {
            return allowlist.requirePermitted(requested);
        } catch (CommandRefusedException refused) {
            throw refusal(invocation, refused);
        }
    }

    private List<String> permittedArguments(CommandInvocation invocation, Path executable) {
        try {
            return allowlist.permittedArguments(executable, invocation.command().args());
        } catch (CommandRefusedException refused) {
            throw refusal(invocation, refused);
        }
    }

    /** Logs and counts a refusal; never the arguments, which a forger chose and which may be sensitive. */
    private ApplicationFailure refusal(CommandInvocation invocation, CommandRefusedException refused) {
        // A forged invocation's job id is the forger's text: keep it to one printable line.
        String jobId = String.valueOf(invocation.jobId()).replaceAll("[^\\x20-\\x7e]", "?");
        log.warn("job {} refused ({}): {}", jobId, refused.reason().label(), refused.getMessage());
        commands.refused(refused.reason());
        return ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
    }
}
