package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;

/** One job's run on one agent, as stored in {@code job_runs}. */
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
        String progressJson) {
}
