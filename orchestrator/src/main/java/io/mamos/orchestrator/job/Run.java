package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;

/**
 * One job's run on one agent, as stored in {@code job_runs}. {@code workflowRunId} is the Temporal
 * run of {@code workflowId} the store planned it for (null until known; {@code *} for runs in flight
 * at the V7 migration): only that run's activities speak for it.
 */
record Run(
        String jobId,
        String agentId,
        int position,
        JobState state,
        int attempt,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        String workflowId,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        String progressJson,
        String workflowRunId) {
}
