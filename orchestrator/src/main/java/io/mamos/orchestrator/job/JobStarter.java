package io.mamos.orchestrator.job;

import io.grpc.Context;
import io.grpc.Deadline;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobWorkflow;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a submitted job's workflow, within {@code mamos.temporal.start-timeout} (default 5 s) so
 * a client hears 503 within seconds while Temporal is away. Safe to repeat: the workflow id is the
 * job's and reuse is rejected, so a start Temporal had accepted before its answer was lost comes
 * back as already started, and counts as started.
 */
@Component
class JobStarter {

    private static final Logger log = LoggerFactory.getLogger(JobStarter.class);

    private final WorkflowClient client;
    private final JobRepository jobs;
    private final JsonMapper json;
    private final PlannedRuns planned;
    private final Duration startTimeout;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "job-start-deadlines");
        t.setDaemon(true);
        return t;
    });

    JobStarter(WorkflowClient client, JobRepository jobs, JsonMapper json, PlannedRuns planned,
            @Value("${mamos.temporal.start-timeout:5s}") Duration startTimeout) {
        this.client = client;
        this.jobs = jobs;
        this.json = json;
        this.planned = planned;
        this.startTimeout = startTimeout;
    }

    /** @throws TemporalUnavailableException when Temporal did not confirm the start in time; the job stays recorded */
    void start(String workflowId, JobRequest request) {
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                // A job runs once: its id can never start a second run, even after the first ended.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                // Bounds the whole job even if every inner timeout were misconfigured.
                .setWorkflowExecutionTimeout(executionBound(request))
                .build());
        try {
            // The SDK retries a start until the gRPC context's deadline; without one, for a minute.
            WorkflowExecution started = Context.current()
                    .withDeadline(Deadline.after(startTimeout.toMillis(), TimeUnit.MILLISECONDS), deadlines)
                    .call(() -> WorkflowClient.start(workflow::run, request));
            // Store activities act only for this run of the job's workflow (PlannedRuns).
            planned.recordStarted(request.jobId(), started.getRunId());
        } catch (WorkflowExecutionAlreadyStarted accepted) {
            log.info("job {}: Temporal had accepted an earlier start of workflow {}", request.jobId(), workflowId);
            planned.recordStarted(request.jobId(), accepted.getExecution().getRunId());
        } catch (Exception e) {
            log.warn("job {}: Temporal did not confirm the start of workflow {} within {}: {}", request.jobId(),
                    workflowId, startTimeout, e.toString());
            throw new TemporalUnavailableException("Temporal did not confirm the start of job " + request.jobId()
                    + " within " + startTimeout.toSeconds() + "s. The job is recorded and its start is retried"
                    + " (retry the request with the same Idempotency-Key to get this job back): " + e.getMessage());
        }
    }

    /** Starts (again) a QUEUED job's workflow from its recorded request; a no-op once Temporal has it. */
    void startIfUnconfirmed(Job job) {
        String recorded = jobs.startRequestJson(job.id());
        if (job.state() == JobState.QUEUED && recorded != null) {
            start(job.workflowId(), json.readValue(recorded, JobRequest.class));
        }
    }

    /** Waves of runs, each at most waiting, running and retrying, plus an hour of slack. */
    static Duration executionBound(JobRequest request) {
        if (request.jobTimeoutSeconds() > 0) {
            return Duration.ofSeconds(request.jobTimeoutSeconds()).plus(Duration.ofHours(1));
        }
        int concurrency = request.concurrency() <= 0 ? request.targets().size() : request.concurrency();
        long waves = (request.targets().size() + concurrency - 1) / Math.max(concurrency, 1);
        int attempts = request.retry().maxAttempts();
        // Each attempt may wait for a busy (online) agent before it runs, up to the busy wait.
        long perRun = attempts * (request.timeoutSeconds() + request.agentWaitSeconds()
                + JobRequest.BUSY_AGENT_WAIT_SECONDS)
                + request.retry().backoffBefore(attempts) * attempts;
        return Duration.ofSeconds(waves * perRun).plus(Duration.ofHours(1));
    }
}
