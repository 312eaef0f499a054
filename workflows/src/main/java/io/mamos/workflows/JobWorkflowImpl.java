package io.mamos.workflows;

import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Runs a job's command on each of its targets, at most {@code concurrency} at a time (and never
 * more than {@link #MAX_RUNS_IN_FLIGHT}), stopping further starts once {@code maxFailures} runs did
 * not succeed or the job timeout passed.
 *
 * <p>A single-target job runs its one run inline. A fan-out job starts one {@link RunWorkflow}
 * child per target: each child records its own state and output in the store, so this workflow's
 * history grows by a few events per run (about 3.3 per target, measured by the 1,000-target test)
 * and never carries output. Cancelling the job cancels every child (each agent kills its process
 * tree) and marks runs not yet started CANCELED. Deterministic: time comes from {@link Workflow}.
 */
public class JobWorkflowImpl implements JobWorkflow {

    private static final Logger log = Workflow.getLogger(JobWorkflowImpl.class);

    /**
     * Runs a job keeps in flight at most, whatever its concurrency (0 = all targets): Temporal
     * refuses to start a child while a workflow has 2,000 pending ones
     * ({@code limit.numPendingChildExecutions.error}), so a job to more targets starts the rest as
     * runs end. Half the server's default leaves room for an operator's lower setting.
     */
    static final int MAX_RUNS_IN_FLIGHT = 1_000;
    /** Version marker of {@link #MAX_RUNS_IN_FLIGHT}: jobs started before it keep starting every run at once. */
    static final String BOUNDED_RUNS_IN_FLIGHT = "bounded-runs-in-flight";

    private final JobStoreActivities store = RunExecution.storeStub();

    private JobState state = JobState.QUEUED;
    private RunExecution inline;

    /** Runs started and not yet ended, by the scope that can cancel each. */
    private final List<CancellationScope> runScopes = new ArrayList<>();
    private final Map<JobState, Integer> ended = new EnumMap<>(JobState.class);
    /** Runs whose child workflow was never started (cancelled first): the store still shows them QUEUED. */
    private final List<String> neverStarted = new ArrayList<>();
    private int active;
    private int endedCount;
    private int failures;
    private JobState lastRunState;

    @Override
    public JobOutcome run(JobRequest request) {
        return execute(request);
    }

    @Override
    public JobState status() {
        return inline != null && !state.isTerminal() ? inline.state() : state;
    }

    /** The job's body, shared with {@link ScheduledJobWorkflowImpl}. */
    JobOutcome execute(JobRequest request) {
        List<RunTarget> targets = request.targets();
        Deque<RunTarget> waiting = new ArrayDeque<>(targets);
        int limit = request.concurrency() <= 0 ? Math.max(targets.size(), 1) : request.concurrency();
        // Asked only where the bound changes something, so smaller jobs' histories carry no marker.
        if (limit > MAX_RUNS_IN_FLIGHT
                && Workflow.getVersion(BOUNDED_RUNS_IN_FLIGHT, Workflow.DEFAULT_VERSION, 1) >= 1) {
            limit = MAX_RUNS_IN_FLIGHT;
        }
        long deadline = request.jobTimeoutSeconds() <= 0 ? 0
                : Workflow.currentTimeMillis() + request.jobTimeoutSeconds() * 1_000;
        boolean canceled = false;
        boolean timedOut = false;
        boolean thresholdReached = false;
        state = JobState.DISPATCHED;
        try {
            while (true) {
                while (!thresholdReached && !waiting.isEmpty() && active < limit) {
                    if (CancellationScope.current().isCancelRequested()) {
                        throw new CanceledFailure("job canceled");
                    }
                    start(request, waiting.poll(), targets.size() == 1);
                }
                if (active == 0) {
                    break;
                }
                int seen = endedCount;
                if (deadline == 0) {
                    Workflow.await(() -> endedCount > seen);
                } else {
                    long left = deadline - Workflow.currentTimeMillis();
                    if (left <= 0 || !Workflow.await(Duration.ofMillis(left), () -> endedCount > seen)) {
                        timedOut = true;
                        log.info("job {} reached its timeout of {}s; cancelling {} running run(s)", request.jobId(),
                                request.jobTimeoutSeconds(), active);
                        runScopes.forEach(CancellationScope::cancel);
                        break;
                    }
                }
                if (request.maxFailures() > 0 && failures >= request.maxFailures() && !thresholdReached) {
                    thresholdReached = true;
                    log.info("job {}: {} run(s) failed, threshold {} reached; {} run(s) will not start",
                            request.jobId(), failures, request.maxFailures(), waiting.size());
                }
            }
        } catch (CanceledFailure e) {
            canceled = true;
        }
        // The last runs may have ended (as CANCELED) just before the cancellation reached this loop.
        canceled |= CancellationScope.current().isCancelRequested();

        boolean wasCanceled = canceled;
        boolean wasTimedOut = timedOut;
        boolean threshold = thresholdReached;
        JobOutcome[] outcome = new JobOutcome[1];
        // Cancellation must not stop the bookkeeping: wait for the cancelled runs to record their
        // ends, then record the runs that never started and the job's end.
        Workflow.newDetachedCancellationScope(() -> {
            Workflow.await(() -> active == 0);
            List<String> notStarted = new ArrayList<>(neverStarted);
            waiting.forEach(target -> notStarted.add(target.agentId()));
            JobState notStartedState = wasCanceled ? JobState.CANCELED : JobState.SKIPPED;
            if (!notStarted.isEmpty()) {
                String reason = wasCanceled ? "job canceled before this run started"
                        : wasTimedOut ? "job timeout of " + request.jobTimeoutSeconds() + "s reached before this run started"
                        : "not started: " + failures + " run(s) failed, reaching the job's maxFailures of "
                                + request.maxFailures();
                store.runsNotStarted(request.jobId(), notStarted, notStartedState, reason, Workflow.currentTimeMillis());
                ended.merge(notStartedState, notStarted.size(), Integer::sum);
            }
            outcome[0] = outcome(request, wasCanceled, wasTimedOut, threshold);
            store.jobFinished(outcome[0]);
        }).run();
        state = outcome[0].state();
        log.info("job {} ended {} ({} run(s): {})", request.jobId(), state, targets.size(), ended);
        return outcome[0];
    }

    private void start(JobRequest request, RunTarget target, boolean onlyRun) {
        RunRequest run = request.run(target);
        Promise<JobState>[] promise = new Promise[1];
        CancellationScope scope = Workflow.newCancellationScope(() -> {
            if (onlyRun) {
                inline = new RunExecution();
                promise[0] = Async.function(() -> inline.execute(run).state());
            } else {
                RunWorkflow child = Workflow.newChildWorkflowStub(RunWorkflow.class, childOptions(run));
                promise[0] = Async.function(child::run, run);
            }
        });
        scope.run();
        runScopes.add(scope);
        active++;
        promise[0].handle((runState, failure) -> {
            runEnded(target.agentId(), runState, failure);
            runScopes.remove(scope);
            active--;
            endedCount++;
            return null;
        });
    }

    private void runEnded(String agentId, JobState runState, RuntimeException failure) {
        JobState end = runState;
        if (failure != null) {
            // A child closes as cancelled whatever it returns once cancelled; it recorded its end itself.
            boolean childRan = failure instanceof ChildWorkflowFailure;
            if (!childRan) {
                neverStarted.add(agentId);
            }
            end = failure instanceof CanceledFailure || failure.getCause() instanceof CanceledFailure
                    ? JobState.CANCELED : JobState.FAILED;
            if (childRan || end != JobState.CANCELED) {
                ended.merge(end, 1, Integer::sum);
            }
        } else {
            ended.merge(end, 1, Integer::sum);
        }
        if (end != JobState.SUCCEEDED && end != JobState.CANCELED) {
            failures++;
        }
        lastRunState = end;
    }

    private JobOutcome outcome(JobRequest request, boolean canceled, boolean timedOut, boolean thresholdReached) {
        long now = Workflow.currentTimeMillis();
        int total = request.targets().size();
        if (canceled) {
            return new JobOutcome(request.jobId(), JobState.CANCELED, total == 1 ? null : "canceled by request", now);
        }
        if (timedOut) {
            return new JobOutcome(request.jobId(), JobState.TIMED_OUT,
                    "job timeout of " + request.jobTimeoutSeconds() + "s reached; runs still going were canceled", now);
        }
        if (total == 1) {
            return new JobOutcome(request.jobId(), lastRunState, null, now);
        }
        int succeeded = ended.getOrDefault(JobState.SUCCEEDED, 0);
        if (succeeded == total) {
            return new JobOutcome(request.jobId(), JobState.SUCCEEDED, null, now);
        }
        String error = (total - succeeded) + " of " + total + " runs did not succeed";
        if (thresholdReached) {
            error += "; " + ended.getOrDefault(JobState.SKIPPED, 0) + " skipped after " + failures
                    + " failure(s) reached maxFailures " + request.maxFailures();
        }
        return new JobOutcome(request.jobId(), JobState.FAILED, error, now);
    }

    static ChildWorkflowOptions childOptions(RunRequest run) {
        return ChildWorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.runWorkflowId(run.jobId(), run.agentId()))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
                .build();
    }
}
