package io.mamos.workflows;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Runs the command on the target agent's queue and mirrors every state change into the store.
 * Deterministic: all time comes from {@link Workflow}, all I/O from activities.
 */
public class JobWorkflowImpl implements JobWorkflow {

    /** Slack on top of the command's own timeout, which the agent enforces itself. */
    static final Duration AGENT_TIMEOUT_GRACE = Duration.ofSeconds(30);

    /** How much longer than the wait for the agent a signed command stays valid (queueing, clock steps). */
    static final Duration SIGNATURE_SLACK = Duration.ofSeconds(30);

    private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

    /** Store writes retry until the store answers: the mirror must end up complete. */
    private final JobStoreActivities store = Workflow.newLocalActivityStub(
            JobStoreActivities.class,
            LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(200))
                            .setBackoffCoefficient(2.0)
                            .setMaximumInterval(Duration.ofSeconds(30))
                            .build())
                    .build());

    private JobState state = JobState.QUEUED;

    @Override
    public JobOutcome run(JobRequest request) {
        CommandActivities agent = Workflow.newActivityStub(CommandActivities.class, agentOptions(request));
        store.jobDispatched(request.jobId(), Workflow.currentTimeMillis());
        state = JobState.DISPATCHED;
        CommandInvocation invocation = store.prepareInvocation(CommandInvocation.unsigned(request.jobId(),
                request.agentId(), 1, request.command(), request.timeoutSeconds(), request.maxOutputBytes()),
                request.agentWaitSeconds() + SIGNATURE_SLACK.toSeconds());

        JobOutcome outcome;
        try {
            outcome = fromResult(request.jobId(), agent.runCommand(invocation));
        } catch (ActivityFailure failure) {
            outcome = fromFailure(request, failure);
        } catch (CanceledFailure canceled) {
            outcome = failed(request.jobId(), JobState.CANCELED, "canceled by request");
        }
        state = outcome.state();
        log.info("job {} ended {}", request.jobId(), outcome.state());

        // The workflow may itself be cancelled; the final write must still happen.
        JobOutcome finalOutcome = outcome;
        Workflow.newDetachedCancellationScope(() -> store.jobFinished(finalOutcome)).run();
        return outcome;
    }

    @Override
    public JobState status() {
        return state;
    }

    /**
     * The command goes to the agent's own queue and is never retried: commands need not be
     * idempotent, so a run lost with its agent is reported, not repeated.
     */
    static ActivityOptions agentOptions(JobRequest request) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.forAgent(request.agentId()))
                .setScheduleToStartTimeout(Duration.ofSeconds(request.agentWaitSeconds()))
                .setStartToCloseTimeout(Duration.ofSeconds(request.timeoutSeconds()).plus(AGENT_TIMEOUT_GRACE))
                .setHeartbeatTimeout(Duration.ofSeconds(request.heartbeatTimeoutSeconds()))
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }

    private JobOutcome fromResult(String jobId, CommandResult result) {
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
        return new JobOutcome(jobId, end, result.exitCode(), result.stdout(), result.stderr(),
                result.outputTruncated(), error, result.startedAtMillis(), Workflow.currentTimeMillis());
    }

    private JobOutcome fromFailure(JobRequest request, ActivityFailure failure) {
        Throwable cause = failure.getCause();
        if (cause instanceof TimeoutFailure timeout) {
            return switch (timeout.getTimeoutType()) {
                case TIMEOUT_TYPE_SCHEDULE_TO_START -> failed(request.jobId(), JobState.AGENT_OFFLINE,
                        "agent " + request.agentId() + " did not pick the command up within "
                                + request.agentWaitSeconds() + "s");
                case TIMEOUT_TYPE_HEARTBEAT -> failed(request.jobId(), JobState.AGENT_LOST,
                        "agent " + request.agentId() + " stopped heartbeating while the command ran");
                default -> failed(request.jobId(), JobState.TIMED_OUT,
                        "agent did not report the command's end within its timeout");
            };
        }
        if (cause instanceof CanceledFailure) {
            return failed(request.jobId(), JobState.CANCELED, "canceled by request");
        }
        if (cause instanceof ApplicationFailure app) {
            if (CommandActivities.COMMAND_REFUSED.equals(app.getType())) {
                return failed(request.jobId(), JobState.REFUSED, app.getOriginalMessage());
            }
            if (CommandActivities.AGENT_SHUT_DOWN.equals(app.getType())) {
                return failed(request.jobId(), JobState.AGENT_LOST, app.getOriginalMessage());
            }
            return failed(request.jobId(), JobState.FAILED, app.getOriginalMessage());
        }
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : failure.getMessage();
        return failed(request.jobId(), JobState.FAILED, message);
    }

    private JobOutcome failed(String jobId, JobState end, String error) {
        return new JobOutcome(jobId, end, null, null, null, false, error, null, Workflow.currentTimeMillis());
    }
}
