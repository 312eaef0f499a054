package io.mamos.agent.execution;

import io.mamos.agent.execution.RunningCommands.Outcome;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        argv.addAll(invocation.command().args());
        // Argument values can be sensitive; their count is enough at info level.
        log.info("job {} running {} ({}) with {} argument(s), timeout {}s", jobId,
                invocation.command().name(), executable, invocation.command().args().size(),
                invocation.timeoutSeconds());
        log.debug("job {} argv {}", jobId, argv);

        long startedNanos = commands.started();
        Outcome outcome = Outcome.ERROR;
        try {
            CommandResult result = runner.run(argv, Duration.ofSeconds(invocation.timeoutSeconds()),
                    maxOutputBytes, context::heartbeat);
            outcome = result.timedOut() ? Outcome.TIMED_OUT
                    : result.exitCode() == 0 ? Outcome.SUCCEEDED
                    : Outcome.FAILED;
            log.info("job {} ended: exit code {}, timed out {}, output truncated {}", jobId,
                    result.exitCode(), result.timedOut(), result.outputTruncated());
            return result;
        } catch (ActivityWorkerShutdownException shutdown) {
            // The SDK's own exception would reach the job record as an opaque type and task ids;
            // say plainly what happened instead.
            outcome = Outcome.CANCELED;
            log.info("job {} killed because the agent is shutting down", jobId);
            throw ApplicationFailure.newNonRetryableFailure(
                    "the agent shut down while the command ran; its process was killed", AGENT_SHUT_DOWN);
        } catch (ActivityCompletionException stopped) {
            // Cancelled, timed out on the server, or the worker is shutting down: the process
            // tree is already killed; rethrowing lets Temporal record why.
            outcome = stopped instanceof ActivityCanceledException ? Outcome.CANCELED : Outcome.ERROR;
            log.info("job {} stopped and its process killed: {}", jobId, stopped.getClass().getSimpleName());
            throw stopped;
        } catch (IOException e) {
            log.warn("job {} could not start {}: {}", jobId, executable, e.getMessage());
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not start " + executable + ": " + e.getMessage(), COMMAND_START_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Activity.wrap(e);
        } finally {
            commands.ended(startedNanos, outcome);
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

    /** Logs and counts a refusal; never the arguments, which a forger chose and which may be sensitive. */
    private ApplicationFailure refusal(CommandInvocation invocation, CommandRefusedException refused) {
        // A forged invocation's job id is the forger's text: keep it to one printable line.
        String jobId = String.valueOf(invocation.jobId()).replaceAll("[^\\x20-\\x7e]", "?");
        log.warn("job {} refused ({}): {}", jobId, refused.reason().label(), refused.getMessage());
        commands.refused(refused.reason());
        return ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
    }
}
