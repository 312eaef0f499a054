package io.mamos.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Workflow code shared by {@link RunWorkflowImpl} and the inline run of a single-target job: sends
 * the command to the agent's queue, retries it only if the request allows and the agent was lost,
 * and records every step in the store. Deterministic: time comes from {@link Workflow}, I/O from activities.
 */
final class RunExecution {

    /** Slack on top of the command's own timeout, which the agent enforces itself. */
    static final Duration AGENT_TIMEOUT_GRACE = Duration.ofSeconds(30);

    /** How much longer than the wait for the agent a signed command stays valid (queueing, clock steps). */
    static final Duration SIGNATURE_SLACK = Duration.ofSeconds(30);

    /** Version marker: runs that lose heartbeats ask the agent for the result before AGENT_LOST. */
    static final String COLLECT_AFTER_SILENCE = "collect-after-silence";

    /**
     * Version marker: the question names the attempt, and a "no record" answer is read with the
     * agent's uptime: "restarted since" only if it restarted after the dispatch, otherwise the
     * agent never received the command, which is then sent again as a new attempt.
     */
    static final String TRUE_NO_RECORD = "true-no-record";

    /**
     * Version marker: a command nobody picked up within the agent wait waits on while its agent is
     * online (busy with a backlog), signed anew each time; AGENT_OFFLINE only for an offline agent.
     */
    static final String WAIT_WHILE_ONLINE = "wait-while-online";

    /**
     * Version marker: the question to the agent carries an await ticket the store signed for this
     * workflow run and attempt; agents answer no other question.
     */
    static final String SIGNED_AWAIT = "signed-await";

    /** After an unpicked command's signature expired, the store is asked for a new one this much later (clock slack). */
    static final Duration RESIGN_AFTER_EXPIRY = Duration.ofSeconds(1);

    /** See {@link RetrySpec#MAX_RESENDS}. */
    static final int MAX_RESENDS = RetrySpec.MAX_RESENDS;

    private static final Logger log = Workflow.getLogger(RunExecution.class);

    private final JobStoreActivities store = storeStub();

    /** State of the attempt in flight, for the workflows' status queries. */
    private volatile JobState state = JobState.QUEUED;

    /** Store writes retry until the store answers: the mirror must end up complete. */
    static JobStoreActivities storeStub() {
        return Workflow.newLocalActivityStub(JobStoreActivities.class, storeOptions());
    }

    /**
     * Options of every local activity that writes the store. The attempts are bounded only by
     * {@link Integer#MAX_VALUE} on purpose: with neither a maximum nor a schedule-to-close timeout
     * the Java SDK treats a local activity's retry policy as not set and never retries it, so one
     * failed write (SQLITE_IOERR, a full disk) would end the workflow with its job RUNNING for ever.
     * Retry options are not part of the history, so changing them is replay-safe.
     */
    static LocalActivityOptions storeOptions() {
        return LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(200))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setMaximumAttempts(Integer.MAX_VALUE)
                        .build())
                .build();
    }

    JobState state() {
        return state;
    }

    RunOutcome execute(RunRequest request) {
        // Attempts sent (each signed anew); of them, the tries that count against the retry policy:
        // an attempt the agent never received is sent again without counting.
        int attempt = 1;
        int tried = 1;
        int resends = 0;
        RunOutcome outcome;
        try {
            while (true) {
                Attempted attempted = attempt(request, attempt);
                outcome = attempted.outcome();
                if (attempted.neverReceived() && resends < MAX_RESENDS) {
                    resends++;
                    log.info("job {} run on agent {}: attempt {} never reached the agent ({}); sending it again",
                            request.jobId(), request.agentId(), attempt, outcome.error());
                    attempt++;
                    continue;
                }
                if (outcome.state() != JobState.AGENT_LOST || tried >= request.retry().maxAttempts()) {
                    break;
                }
                long backoff = request.retry().backoffBefore(tried + 1);
                log.info("job {} run on agent {}: attempt {} lost ({}), retrying in {}s", request.jobId(),
                        request.agentId(), attempt, outcome.error(), backoff);
                Workflow.sleep(Duration.ofSeconds(backoff));
                attempt++;
                tried++;
            }
        } catch (CanceledFailure canceled) {
            // Cancelled between attempts, or before the first dispatch was recorded.
            outcome = ended(request, attempt, JobState.CANCELED, "canceled by request");
        }
        state = outcome.state();
        log.info("job {} run on agent {} ended {}", request.jobId(), request.agentId(), outcome.state());

        // The workflow may itself be cancelled; the final write must still happen.
        RunOutcome finalOutcome = outcome;
        Workflow.newDetachedCancellationScope(() -> store.runFinished(finalOutcome)).run();
        return outcome;
    }

    /** How one attempt ended; {@code neverReceived}: provably not received by the agent, so never run. */
    private record Attempted(RunOutcome outcome, boolean neverReceived) {
        static Attempted ended(RunOutcome outcome) {
            return new Attempted(outcome, false);
        }
    }

    private Attempted attempt(RunRequest request, int attempt) {
        long dispatchedAt = Workflow.currentTimeMillis();
        store.runDispatched(request.jobId(), request.agentId(), attempt, dispatchedAt);
        state = JobState.DISPATCHED;
        CommandActivities agent = Workflow.newActivityStub(CommandActivities.class, agentOptions(request));
        // Signed by the orchestrator for this agent and attempt; valid while the command may wait for the agent.
        CommandInvocation invocation = store.prepareInvocation(CommandInvocation.unsigned(request.jobId(),
                request.agentId(), attempt, request.command(), request.timeoutSeconds(), request.maxOutputBytes()),
                request.agentWaitSeconds() + SIGNATURE_SLACK.toSeconds());
        while (true) {
            try {
                return Attempted.ended(fromResult(request, attempt, agent.runCommand(invocation)));
            } catch (ActivityFailure failure) {
                CommandInvocation again = notPickedUp(failure) ? waitOn(request, dispatchedAt, invocation) : null;
                if (again != null) {
                    invocation = again;
                    continue;
                }
                return afterFailure(request, attempt, dispatchedAt, agent, failure);
            }
        }
    }

    private Attempted afterFailure(RunRequest request, int attempt, long dispatchedAt, CommandActivities agent,
            ActivityFailure failure) {
        if (notPickedUp(failure)) {
            long waited = Workflow.currentTimeMillis() - dispatchedAt;
            if (waited > Duration.ofSeconds(request.agentWaitSeconds()).plus(SIGNATURE_SLACK).toMillis()) {
                return Attempted.ended(ended(request, attempt, JobState.AGENT_OFFLINE, "agent " + request.agentId()
                        + " did not pick the command up in " + waited / 1000 + "s: it was online and busy, and "
                        + (waited >= Duration.ofSeconds(JobRequest.BUSY_AGENT_WAIT_SECONDS).toMillis()
                                ? "a run waits for a busy agent at most " + JobRequest.BUSY_AGENT_WAIT_SECONDS + "s"
                                : "then offline for " + request.agentWaitSeconds() + "s")));
            }
        }
        if (!heartbeatsStopped(failure)
                || Workflow.getVersion(COLLECT_AFTER_SILENCE, Workflow.DEFAULT_VERSION, 1) != 1) {
            return Attempted.ended(fromFailure(request, attempt, failure));
        }
        return Workflow.getVersion(TRUE_NO_RECORD, Workflow.DEFAULT_VERSION, 1) == 1
                ? askAgent(request, attempt, dispatchedAt, agent)
                : Attempted.ended(collectFromAgent(request, attempt, agent));
    }

    /**
     * The command waited the agent wait unpicked. While the agent is online (a backlog on a busy
     * agent is not an offline agent), and for at most {@link JobRequest#BUSY_AGENT_WAIT_SECONDS},
     * the same attempt is sent again, signed anew once the previous signature expired. Null: end
     * the attempt as the timeout says (AGENT_OFFLINE).
     */
    private CommandInvocation waitOn(RunRequest request, long dispatchedAt, CommandInvocation previous) {
        if (Workflow.getVersion(WAIT_WHILE_ONLINE, Workflow.DEFAULT_VERSION, 1) != 1) {
            return null;
        }
        long waited = Workflow.currentTimeMillis() - dispatchedAt;
        if (waited >= Duration.ofSeconds(JobRequest.BUSY_AGENT_WAIT_SECONDS).toMillis()) {
            return null;
        }
        // The store answers the previous signature itself while it is still valid: wait for its expiry.
        CommandInvocation again = store.resignForWaitingRun(previous);
        while (again != null && again.nonce().equals(previous.nonce())) {
            long untilExpired = again.expiresAtMillis() - Workflow.currentTimeMillis();
            Workflow.sleep(Duration.ofMillis(Math.max(untilExpired, 0)).plus(RESIGN_AFTER_EXPIRY));
            again = store.resignForWaitingRun(previous);
        }
        if (again != null) {
            log.info("job {} run on agent {}: attempt {} not picked up within {}s while the agent is online; "
                    + "waiting on", request.jobId(), request.agentId(), previous.attempt(), request.agentWaitSeconds());
        }
        return again;
    }

    private static boolean notPickedUp(ActivityFailure failure) {
        return failure.getCause() instanceof TimeoutFailure timeout
                && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
    }

    private static boolean heartbeatsStopped(ActivityFailure failure) {
        return failure.getCause() instanceof TimeoutFailure timeout
                && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_HEARTBEAT;
    }

    /**
     * Heartbeats stop reaching Temporal when the agent dies, but also when Temporal itself (or the
     * way to it) is down for longer than the heartbeat timeout, and the agent keeps such a command
     * running and its result. So ask the agent: back within the agent wait, it hands the result
     * over (once the command ends); restarted, it knows no such command; dead, it never answers.
     */
    private RunOutcome collectFromAgent(RunRequest request, int attempt, CommandActivities agent) {
        log.info("job {} run on agent {}: no heartbeat; asking the agent for the command's result",
                request.jobId(), request.agentId());
        try {
            // Agents read a missing attempt as 0: the latest they know, as this older question meant.
            return fromResult(request, attempt, awaitCommand(request, attempt, 0, agent));
        } catch (ActivityFailure failure) {
            String lost = "agent " + request.agentId() + " stopped heartbeating while the command ran";
            if (failure.getCause() instanceof TimeoutFailure) {
                return ended(request, attempt, JobState.AGENT_LOST, lost + " and did not answer since");
            }
            if (failure.getCause() instanceof ApplicationFailure app
                    && CommandActivities.COMMAND_UNKNOWN.equals(app.getType())) {
                return ended(request, attempt, JobState.AGENT_LOST, lost + "; it restarted since: "
                        + app.getOriginalMessage());
            }
            if (refusedQuestion(failure)) {
                return ended(request, attempt, JobState.AGENT_LOST, lost + refusal(failure));
            }
            return fromFailure(request, attempt, failure);
        }
    }

    /**
     * Like {@link #collectFromAgent}, for this attempt by its number, and reading a "no record"
     * answer truthfully. The agent enters every task in its ledger the moment it receives it and
     * heartbeats from then on, and refuses a task that arrives after it answered "no record" for
     * it. So an agent process that has been up, and remembers, since before the dispatch and has
     * no record never received the command: Temporal handed it out (the task counts as started)
     * but it never reached the agent's code, and never ran. One that came up after the dispatch
     * restarted since: the process before it may have run the command.
     */
    private Attempted askAgent(RunRequest request, int attempt, long dispatchedAt, CommandActivities agent) {
        log.info("job {} run on agent {}: no heartbeat; asking the agent for attempt {}'s result",
                request.jobId(), request.agentId(), attempt);
        String silent = "agent " + request.agentId() + " stopped heartbeating";
        try {
            return Attempted.ended(fromResult(request, attempt, awaitCommand(request, attempt, attempt, agent)));
        } catch (ActivityFailure failure) {
            if (failure.getCause() instanceof TimeoutFailure) {
                return Attempted.ended(ended(request, attempt, JobState.AGENT_LOST,
                        silent + " while the command ran and did not answer since"));
            }
            if (refusedQuestion(failure)) {
                return Attempted.ended(ended(request, attempt, JobState.AGENT_LOST,
                        silent + " while the command ran" + refusal(failure)));
            }
            if (!(failure.getCause() instanceof ApplicationFailure app
                    && CommandActivities.COMMAND_UNKNOWN.equals(app.getType()))) {
                return Attempted.ended(fromFailure(request, attempt, failure));
            }
            // Measured back from now, which is no earlier than when the agent answered: an agent
            // up since just before the dispatch may read as restarted, never the other way round.
            long sinceDispatch = Workflow.currentTimeMillis() - dispatchedAt;
            CommandUnknownDetails details = unknownDetails(app);
            if (details != null && details.remembersForMillis() >= sinceDispatch) {
                return new Attempted(ended(request, attempt, JobState.AGENT_LOST, "agent " + request.agentId()
                        + " never received the command: Temporal handed it out, but the agent, up and keeping a "
                        + "record of every command it received since before this one was sent, has none of it; "
                        + "it never ran"), true);
            }
            if (details != null && details.upForMillis() >= sinceDispatch) {
                return Attempted.ended(ended(request, attempt, JobState.AGENT_LOST, silent + " while the command "
                        + "ran, and the agent no longer keeps a record of commands that old"));
            }
            String upFor = details == null ? "" : " (up for " + details.upForMillis() / 1000 + "s, since after "
                    + "the command was sent)";
            return Attempted.ended(ended(request, attempt, JobState.AGENT_LOST, silent + " while the command ran; "
                    + "it restarted since" + upFor + ": the agent has no record of the command"));
        }
    }

    /**
     * Asks the agent for attempt {@code attempt}'s result with a ticket the store signed for this
     * workflow run; workflows that asked before tickets existed replay without one, asking as
     * they did ({@code unticketedAttempt}: 0 for the latest the agent knows).
     */
    private CommandResult awaitCommand(RunRequest request, int attempt, int unticketedAttempt,
            CommandActivities agent) {
        String workflowId = Workflow.getInfo().getWorkflowId();
        if (Workflow.getVersion(SIGNED_AWAIT, Workflow.DEFAULT_VERSION, 1) != 1) {
            return agent.awaitCommand(workflowId, unticketedAttempt, null);
        }
        AwaitTicket ticket = store.awaitTicket(request.jobId(), request.agentId(), attempt);
        return agent.awaitCommand(workflowId, attempt, ticket);
    }

    /**
     * The agent refused the question itself (its ticket missing, as from a workflow that asked before
     * tickets existed, or not valid): whether and how the command ran is unknown, which is what
     * {@link JobState#AGENT_LOST} says, not that the command was refused.
     */
    private static boolean refusedQuestion(ActivityFailure failure) {
        return failure.getCause() instanceof ApplicationFailure app
                && CommandActivities.COMMAND_REFUSED.equals(app.getType());
    }

    private static String refusal(ActivityFailure failure) {
        return ", and refused the question about its result, so how it ended is unknown: "
                + ((ApplicationFailure) failure.getCause()).getOriginalMessage();
    }

    /** The agent's account of its memory, or null if its answer has none (an older agent) or a malformed one. */
    private static CommandUnknownDetails unknownDetails(ApplicationFailure app) {
        try {
            CommandUnknownDetails details = app.getDetails().get(0, CommandUnknownDetails.class);
            return details != null && details.upForMillis() >= 0 && details.remembersForMillis() >= 0
                    && details.remembersForMillis() <= details.upForMillis() ? details : null;
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    /**
     * The command goes to the agent's own queue and Temporal never retries it: commands need not
     * be idempotent, so only {@link RetrySpec} (an explicit per-job choice) repeats a lost run.
     */
    static ActivityOptions agentOptions(RunRequest request) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(request.taskQueue())
                .setScheduleToStartTimeout(Duration.ofSeconds(request.agentWaitSeconds()))
                .setStartToCloseTimeout(Duration.ofSeconds(request.timeoutSeconds()).plus(AGENT_TIMEOUT_GRACE))
                .setHeartbeatTimeout(Duration.ofSeconds(request.heartbeatTimeoutSeconds()))
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }

    private RunOutcome fromResult(RunRequest request, int attempt, CommandResult result) {
        JobState end;
        String error = null;
        if (result.timedOut()) {
            end = JobState.TIMED_OUT;
            error = "command ran past its timeout and was killed";
        } else if (result.exitCode() == 0) {
            end = JobState.SUCCEEDED;
        } else {
            end = JobState.FAILED;
            error = "command exited with code " + result.exitCode();
        }
        return new RunOutcome(request.jobId(), request.agentId(), attempt, end, result.exitCode(), result.stdout(),
                result.stderr(), result.outputTruncated(), error, result.startedAtMillis(),
                Workflow.currentTimeMillis());
    }

    private RunOutcome fromFailure(RunRequest request, int attempt, ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof TimeoutFailure timeout) {
            return switch (timeout.getTimeoutType()) {
                case TIMEOUT_TYPE_SCHEDULE_TO_START -> ended(request, attempt, JobState.AGENT_OFFLINE,
                        "agent " + request.agentId() + " did not pick the command up within "
                                + request.agentWaitSeconds() + "s");
                case TIMEOUT_TYPE_HEARTBEAT -> ended(request, attempt, JobState.AGENT_LOST,
                        "agent " + request.agentId() + " stopped heartbeating while the command ran");
                default -> ended(request, attempt, JobState.TIMED_OUT,
                        "agent did not report the command's end within its timeout");
            };
        }
        if (cause instanceof CanceledFailure) {
            return ended(request, attempt, JobState.CANCELED, "canceled by request");
        }
        if (cause instanceof ApplicationFailure app) {
            if (CommandActivities.COMMAND_REFUSED.equals(app.getType())) {
                return ended(request, attempt, JobState.REFUSED, app.getOriginalMessage());
            }
            if (CommandActivities.AGENT_SHUT_DOWN.equals(app.getType())) {
                return ended(request, attempt, JobState.AGENT_LOST, app.getOriginalMessage());
            }
            return ended(request, attempt, JobState.FAILED, app.getOriginalMessage());
        }
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : failure.getMessage();
        return ended(request, attempt, JobState.FAILED, message);
    }

    private static RunOutcome ended(RunRequest request, int attempt, JobState end, String error) {
        return new RunOutcome(request.jobId(), request.agentId(), attempt, end, null, null, null, false, error, null,
                Workflow.currentTimeMillis());
    }
}
