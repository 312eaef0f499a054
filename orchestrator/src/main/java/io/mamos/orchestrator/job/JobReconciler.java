package io.mamos.orchestrator.job;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobState;
import io.mamos.workflows.RunOutcome;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Finds jobs the store still shows open whose workflow has closed without recording the end —
 * terminated or reset by an operator, past its execution timeout, failed — and records the true
 * end with the reason Temporal gives, so no job stays RUNNING for ever. Runs on a thread of its
 * own every {@code mamos.jobs.reconcile-interval} (default 30 s), oldest open job first.
 */
@Component
public class JobReconciler {

    /** Open jobs looked at per pass; the rest in later passes. */
    static final int MAX_PER_PASS = 500;
    /** A job younger than this whose workflow is not found may still be being started. */
    static final Duration START_GRACE = Duration.ofMinutes(2);

    private static final Logger log = LoggerFactory.getLogger(JobReconciler.class);

    private final JobRepository jobs;
    private final RunStore runs;
    private final JdbcClient jdbc;
    private final WorkflowClient client;
    private final MamosProperties properties;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final JobStarter starter;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "job-reconciler");
        t.setDaemon(true);
        return t;
    });

    JobReconciler(JobRepository jobs, RunStore runs, JdbcClient jdbc, WorkflowClient client,
            MamosProperties properties, JobEvents events, JobMetrics metrics, JobStarter starter,
            @Value("${mamos.jobs.reconcile-interval:30s}") Duration interval) {
        this.jobs = jobs;
        this.runs = runs;
        this.jdbc = jdbc;
        this.client = client;
        this.properties = properties;
        this.events = events;
        this.metrics = metrics;
        this.starter = starter;
        this.interval = interval;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        thread.scheduleWithFixedDelay(() -> {
            try {
                reconcileOnce();
            } catch (RuntimeException e) {
                log.warn("job reconciliation pass failed: {}", e.toString());
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        thread.shutdownNow();
    }

    /** One pass; returns how many jobs it recorded an end for. */
    public int reconcileOnce() {
        List<Job> open = jdbc.sql("""
                SELECT id FROM jobs WHERE state IN ('QUEUED', 'DISPATCHED', 'RUNNING') ORDER BY created_at LIMIT ?
                """).param(MAX_PER_PASS).query(String.class).list().stream()
                .map(jobs::findById).flatMap(Optional::stream).toList();
        int ended = 0;
        for (Job job : open) {
            if (reconcile(job)) {
                ended++;
            }
        }
        return ended;
    }

    /** Records the end of {@code job} if its workflow has closed; true if it did. */
    boolean reconcile(Job job) {
        // The run the orchestrator started (PlannedRuns), not whatever run holds the id now: someone
        // who terminates a job's workflow may start another under its id.
        Optional<DescribeWorkflowExecutionResponse> described = describe(job.workflowId(), plannedRunId(job));
        if (described.isEmpty()) {
            if (job.createdAt().isAfter(Instant.now().minus(START_GRACE))) {
                // Its start was not confirmed (a deadline, an outage): retry it under the same workflow id.
                try {
                    starter.startIfUnconfirmed(job);
                } catch (TemporalUnavailableException stillDown) {
                    log.debug("job {}: start retried, not confirmed yet", job.id());
                }
                return false;
            }
            return end(job, JobState.FAILED, "the job's workflow " + job.workflowId() + " does not exist in"
                    + " Temporal (its start was not confirmed within " + START_GRACE.toMinutes()
                    + " min, or Temporal's retention removed it)");
        }
        var info = described.get().getWorkflowExecutionInfo();
        WorkflowExecutionStatus status = info.getStatus();
        if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                || status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW) {
            return false;
        }
        HistoryEvent last = lastEvent(job.workflowId(), info.getExecution().getRunId());
        return switch (status) {
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> end(job, JobState.FAILED,
                    "the job's workflow was terminated in Temporal"
                            + reason(last == null ? "" : last.getWorkflowExecutionTerminatedEventAttributes().getReason(),
                            last == null ? "" : last.getWorkflowExecutionTerminatedEventAttributes().getIdentity()));
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> end(job, JobState.TIMED_OUT,
                    "the job's workflow reached its execution timeout of "
                            + described.get().getExecutionConfig().getWorkflowExecutionTimeout().getSeconds()
                            + "s in Temporal");
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> end(job, JobState.CANCELED,
                    "the job's workflow was cancelled in Temporal");
            case WORKFLOW_EXECUTION_STATUS_FAILED -> end(job, JobState.FAILED, "the job's workflow failed: "
                    + (last == null ? "unknown failure"
                    : last.getWorkflowExecutionFailedEventAttributes().getFailure().getMessage()));
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> completed(job);
            default -> false;
        };
    }

    /** A completed workflow recorded its end before it completed, unless that write was lost: take its result. */
    private boolean completed(Job job) {
        JobOutcome outcome = null;
        try {
            String runId = plannedRunId(job);
            outcome = client.newUntypedWorkflowStub(job.workflowId(), Optional.ofNullable(runId.isEmpty() ? null : runId),
                    Optional.empty()).getResult(5, TimeUnit.SECONDS, JobOutcome.class);
        } catch (Exception e) {
            log.debug("job {}: cannot read its workflow's result: {}", job.id(), e.toString());
        }
        if (outcome == null || !job.id().equals(outcome.jobId())) {
            return end(job, JobState.FAILED, "the job's workflow completed without recording the job's end");
        }
        return end(job, outcome.state(), outcome.error());
    }

    /** Records the end of the job and of its runs that did not record one; runs still running are left to record their own. */
    private boolean end(Job job, JobState state, String reason) {
        long now = System.currentTimeMillis();
        endOpenRuns(job, state, reason, now);
        if (jobs.markFinished(job.id(), state.name(), reason, now) == 0) {
            return false;
        }
        log.warn("job {} ended {} as Temporal closed its workflow {} without recording it: {}", job.id(), state,
                job.workflowId(), reason);
        metrics.jobFinished(state);
        events.changed(job.id());
        return true;
    }

    /**
     * Ends, in {@code state} with {@code reason}, the runs of an ending job that recorded no end:
     * those the job's own workflow ran, whose code is over, and those of child workflows that are
     * no longer running. A run whose child workflow still runs records its own end. Returns how
     * many it ended.
     */
    int endOpenRuns(Job job, JobState state, String reason, long now) {
        List<Run> open = jdbc.sql("SELECT agent_id FROM job_runs WHERE job_id = ? AND state IN ('QUEUED', 'DISPATCHED', 'RUNNING')")
                .param(job.id()).query(String.class).list().stream()
                .map(agentId -> runs.find(job.id(), agentId)).flatMap(Optional::stream).toList();
        int ended = 0;
        for (Run run : open) {
            if (!run.workflowId().equals(job.workflowId()) && isRunning(run.workflowId())) {
                continue;
            }
            if (run.state() == JobState.QUEUED) {
                ended += runs.markNotStarted(job.id(), List.of(run.agentId()), state, reason, now);
            } else {
                ended += runs.markFinished(new RunOutcome(job.id(), run.agentId(), Math.max(run.attempt(), 1), state,
                        null, null, null, false, reason, null, now));
            }
        }
        return ended;
    }

    private boolean isRunning(String workflowId) {
        return describe(workflowId).map(d -> d.getWorkflowExecutionInfo().getStatus()
                == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING).orElse(false);
    }

    /** The run of the job's workflow the orchestrator started; empty when none is recorded (the latest then). */
    private String plannedRunId(Job job) {
        String runId = jdbc.sql("SELECT workflow_run_id FROM jobs WHERE id = ?").param(job.id()).query(String.class)
                .optional().orElse(null);
        return runId == null || "*".equals(runId) ? "" : runId;
    }

    /** The latest run of the workflow, or empty if Temporal knows no such workflow. */
    private Optional<DescribeWorkflowExecutionResponse> describe(String workflowId) {
        return describe(workflowId, "");
    }

    /** The given run of the workflow (the latest when {@code runId} is empty), or empty if Temporal knows none. */
    private Optional<DescribeWorkflowExecutionResponse> describe(String workflowId, String runId) {
        try {
            return Optional.of(client.getWorkflowServiceStubs().blockingStub()
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                            .build()));
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private HistoryEvent lastEvent(String workflowId, String runId) {
        try {
            var page = client.getWorkflowServiceStubs().blockingStub().withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getWorkflowExecutionHistoryReverse(GetWorkflowExecutionHistoryReverseRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId))
                            .setMaximumPageSize(1)
                            .build());
            return page.getHistory().getEventsCount() == 0 ? null : page.getHistory().getEvents(0);
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
                log.debug("cannot read the last event of workflow {}: {}", workflowId, e.toString());
                return null;
            }
        }
        // A server without the reverse read (the SDK's test server): read it all, once per closed job.
        var events = client.fetchHistory(workflowId, runId).getEvents();
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    private static String reason(String reason, String identity) {
        String text = reason == null || reason.isBlank() ? "" : " (reason: " + reason + ")";
        return identity == null || identity.isBlank() ? text : text + " by " + identity;
    }
}
