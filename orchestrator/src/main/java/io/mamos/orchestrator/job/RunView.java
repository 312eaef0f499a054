package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;

/**
 * One run (the job's command on one agent) as the API shows it.
 *
 * @param attempt  the attempt this state belongs to; 0 before the first dispatch
 * @param progress while the command runs: elapsed time, bytes of output and its tail
 */
public record RunView(
        String jobId,
        String agentId,
        String hostname,
        JobState state,
        int attempt,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        JobView.Progress progress,
        String workflowId,
        String temporalUrl) {
}
