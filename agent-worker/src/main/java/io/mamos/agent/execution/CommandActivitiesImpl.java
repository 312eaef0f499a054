package io.mamos.agent.execution;

import io.mamos.agent.execution.RunningCommands.Outcome;
import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.mamos.workflows.CommandUnknownDetails;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of a job: verifies the command's signature, checks it against the local
 * allowlist, runs it, and heartbeats its progress so the orchestrator sees it alive and can cancel it.
 *
 * <p>A task is entered in the {@link CommandLedger} the moment it reaches this code, and the
 * activity's own thread does nothing but heartbeat and wait for that entry to end: the work
 * (signature and nonce checks, which flush the nonce to disk, then the process) runs on a thread
 * of its own. So an accepted task heartbeats from its first moment, however slow the disk or
 * the process start, and a workflow that lost its heartbeats and asks with {@link #awaitCommand}
 * finds every task this process accepted. Both activities wait on an entry the same way.
 */
public final class CommandActivitiesImpl implements CommandActivities {

    /**
     * Upper bound on the per-stream output cap, whatever the invocation asks: both streams travel
     * in one Temporal payload, and the server rejects payloads over 2 MiB by default.
     */
    public static final int MAX_OUTPUT_BYTES_CEILING = 512 * 1024;

    /** How often the activity thread heartbeats (the SDK throttles what reaches Temporal) and checks the entry. */
    static final Duration HEARTBEAT_EVERY = Duration.ofMillis(500);

    /** How long a stopped command gets to have its process tree killed before the stop is reported anyway. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Logger log = LoggerFactory.getLogger(CommandActivitiesImpl.class);

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final CommandVerifier verifier;
    private final Allowlist allowlist;
    private final ProcessRunner runner;
    private final RunningCommands commands;
    private final CommandLedger ledger = new CommandLedger();
    /** Runs the commands; as many at once as the worker has activity slots, which bound it. */
    private final ExecutorService executions = Executors.newCachedThreadPool(work -> {
        Thread thread = new Thread(work, "command-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

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
        ActivityExecutionContext context = Activity.getExecutionContext();
        // The key comes from Temporal (the calling workflow) and the invocation's attempt, which the
        // signature check then vouches for; a forged task can only make an entry of its own.
        CommandLedger.Key key = new CommandLedger.Key(context.getInfo().getWorkflowId(), invocation.attempt());
        String jobId = printable(invocation.jobId());
        CommandLedger.Entry entry = ledger.accept(key).orElseThrow(() -> {
            log.warn("job {} attempt {} arrived after its workflow asked for it and was told this agent had "
                    + "no record of it: not run", jobId, invocation.attempt());
            commands.notStarted(Outcome.ERROR);
            return ApplicationFailure.newNonRetryableFailure("the command reached the agent after its job had "
                    + "given it up; it was not run", COMMAND_GIVEN_UP);
        });
        log.debug("job {} attempt {} accepted", jobId, invocation.attempt());
        try {
            executions.execute(() -> execute(invocation, jobId, entry));
        } catch (RejectedExecutionException shuttingDown) {
            entry.failed(ApplicationFailure.newNonRetryableFailure(
                    "the agent shut down before the command started; it was not run", AGENT_SHUT_DOWN));
        }
        return follow(context, entry, jobId, true);
    }

    @Override
    public CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        // Asked about the caller's own command only, whatever the argument says, and only with the
        // orchestrator's ticket for the caller's very run: a lookup has effects (an unknown attempt
        // is given up), and a result is output nobody else may read.
        String caller = context.getInfo().getWorkflowId();
        try {
            verifier.verifyAwait(ticket, caller, context.getInfo().getRunId(), attempt);
        } catch (CommandRefusedException refused) {
            log.warn("workflow {} asked for a command's result and was refused ({}): {}", printable(caller),
                    refused.reason().label(), refused.getMessage());
            commands.questionRefused(refused.reason());
            throw ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
        }
        if (workflowId != null && !workflowId.equals(caller)) {
            log.warn("workflow {} asked for the command of workflow {}; answering for its own",
                    printable(caller), printable(workflowId));
        }
        attempt = ticket.attempt();
        CommandLedger.Lookup lookup = ledger.lookup(new CommandLedger.Key(caller, attempt));
        if (lookup instanceof CommandLedger.Unknown unknown) {
            log.info("asked by {} for attempt {} of its command, which this agent has no record of (up for {} ms, "
                    + "remembers {} ms back)", printable(caller), attempt, unknown.upForMillis(),
                    unknown.remembersForMillis());
            throw ApplicationFailure.newNonRetryableFailure("the agent has no record of the command",
                    COMMAND_UNKNOWN, new CommandUnknownDetails(ledger.incarnation, unknown.upForMillis(),
                            unknown.remembersForMillis()));
        }
        if (lookup instanceof CommandLedger.Tombstone tombstone) {
            log.info("{} collects the end of its command; its output was dropped meanwhile", printable(caller));
            if (tombstone.failure() != null) {
                throw tombstone.failure();
            }
            return tombstone.result();
        }
        log.info("{} collects the result of its command", printable(caller));
        return follow(context, ((CommandLedger.Known) lookup).entry(), printable(caller), false);
    }

    /**
     * Heartbeats the entry's progress (null until the process started) until it ends, and returns
     * how it ended. A cancel, a timeout on the server or the worker's shutdown asks the command to
     * stop (its process tree is killed) and is reported once it has. Except for the task that runs
     * the command: when the SDK gives up on reaching Temporal with its heartbeats (Temporal or the
     * network is down), or Temporal, back, says it timed the activity out meanwhile, the command
     * is NOT stopped: it runs on, and its result waits in the ledger for the workflow to collect
     * with {@link #awaitCommand}. A stop the workflow asks for through that collection kills it.
     */
    private static CommandResult follow(ActivityExecutionContext context, CommandLedger.Entry entry, String what,
            boolean runsOnUnreachable) {
        boolean reachable = true;
        while (true) {
            if (reachable) {
                try {
                    context.heartbeat(entry.progress);
                } catch (ActivityCanceledException | ActivityNotExistsException stopped) {
                    // A real cancel comes without a timeout as its cause. Not-exists: Temporal, back
                    // from an outage, already timed the activity out.
                    boolean lostTemporal = !(stopped instanceof ActivityCanceledException)
                            || stopped.getCause() instanceof TimeoutFailure;
                    if (!runsOnUnreachable || !lostTemporal) {
                        throw stopped(entry, what, stopped);
                    }
                    reachable = false;
                    log.warn("job {}: its heartbeats did not reach Temporal within the heartbeat timeout ({}); the "
                            + "command runs on and its result is kept for the job to collect", what,
                            stopped.getClass().getSimpleName());
                } catch (ActivityWorkerShutdownException shutdown) {
                    throw stopped(entry, what, shutdown);
                } catch (ActivityCompletionException stopped) {
                    throw stopped(entry, what, stopped);
                }
            }
            try {
                return entry.outcome.get(HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillRunning) {
                // Heartbeat again.
            } catch (ExecutionException ended) {
                throw ended.getCause() instanceof RuntimeException failure ? failure : Activity.wrap(ended.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                entry.stop("the agent's worker was interrupted");
                throw Activity.wrap(e);
            }
        }
    }

    /** Asks the command to stop, waits for its process tree to be killed, and says what to report. */
    private static RuntimeException stopped(CommandLedger.Entry entry, String what, ActivityCompletionException why) {
        boolean shutdown = why instanceof ActivityWorkerShutdownException;
        entry.stop(shutdown ? SHUTDOWN : why.getClass().getSimpleName());
        try {
            entry.outcome.get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ended) {
            // Ended as asked (a failure saying it was stopped), or still being killed: report the stop.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shutdown) {
            // The SDK's own exception would reach the job record as an opaque type and task ids;
            // say plainly what happened instead.
            log.info("job {} killed because the agent is shutting down", what);
            return ApplicationFailure.newNonRetryableFailure(
                    "the agent shut down while the command ran; its process was killed", AGENT_SHUT_DOWN);
        }
        // Cancelled, or timed out on the server: rethrowing lets Temporal record why.
        log.info("job {} stopped and its process killed: {}", what, why.getClass().getSimpleName());
        return why;
    }

    /** The work of one accepted task, on its own thread: checks, then the process. Always ends the entry. */
    private void execute(CommandInvocation invocation, String jobId, CommandLedger.Entry entry) {
        try {
            entry.ended(run(invocation, jobId, entry));
        } catch (ApplicationFailure failure) {
            entry.failed(failure);
        } catch (StopRequested stop) {
            entry.failed(ApplicationFailure.newNonRetryableFailure("the command was stopped and its process killed",
                    stop.reason));
        } catch (RuntimeException | Error e) {
            log.error("job {}: the agent failed running the command", jobId, e);
            entry.failed(ApplicationFailure.newNonRetryableFailure("the agent failed running the command: " + e,
                    COMMAND_START_FAILED));
        }
    }

    private CommandResult run(CommandInvocation invocation, String jobId, CommandLedger.Entry entry) {
        verified(invocation);
        Path executable = permittedExecutable(invocation);
        if (invocation.timeoutSeconds() <= 0 || invocation.maxOutputBytes() <= 0) {
            commands.notStarted(Outcome.ERROR);
            throw ApplicationFailure.newNonRetryableFailure(
                    "timeoutSeconds and maxOutputBytes must be positive", INVALID_INVOCATION);
        }
        if (entry.stopReason != null) {
            commands.notStarted(Outcome.CANCELED);
            throw new StopRequested(entry.stopReason);
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
        try {
            CommandResult result = runner.run(argv, Duration.ofSeconds(invocation.timeoutSeconds()),
                    maxOutputBytes, progress -> {
                        entry.progress = progress;
                        String stop = entry.stopReason;
                        if (stop != null) {
                            throw new StopRequested(stop);
                        }
                    });
            outcome = result.timedOut() ? Outcome.TIMED_OUT
                    : result.exitCode() == 0 ? Outcome.SUCCEEDED
                    : Outcome.FAILED;
            log.info("job {} ended: exit code {}, timed out {}, output truncated {}", jobId,
                    result.exitCode(), result.timedOut(), result.outputTruncated());
            return result;
        } catch (StopRequested stop) {
            outcome = stop.reason.equals(SHUTDOWN) || stop.reason.equals(ActivityCanceledException.class.getSimpleName())
                    ? Outcome.CANCELED : Outcome.ERROR;
            throw stop;
        } catch (IOException e) {
            log.warn("job {} could not start {}: {}", jobId, executable, e.getMessage());
            throw ApplicationFailure.newNonRetryableFailure(
                    "could not start " + executable + ": " + e.getMessage(), COMMAND_START_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StopRequested("the agent's command thread was interrupted");
        } finally {
            commands.ended(startedNanos, outcome);
        }
    }

    /** The stop reason of a command that ends because the agent shuts down. */
    private static final String SHUTDOWN = "AgentShutDown";

    /** Thrown inside the command's thread when the activity thread asked it to stop. */
    private static final class StopRequested extends RuntimeException {
        final String reason;

        StopRequested(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    /** A job id from a possibly forged invocation: the forger's text, kept to one printable line. */
    private static String printable(String text) {
        return String.valueOf(text).replaceAll("[^\\x20-\\x7e]", "?");
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
        log.warn("job {} refused ({}): {}", printable(invocation.jobId()), refused.reason().label(), refused.getMessage());
        commands.refused(refused.reason());
        return ApplicationFailure.newNonRetryableFailure(refused.getMessage(), COMMAND_REFUSED);
    }
}
