package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;
import java.util.List;

/**
 * A job as the API shows it.
 *
 * @param progress    while the command runs: elapsed time, bytes of output and its tail
 * @param temporalUrl the job's history in the Temporal Web UI
 */
public record JobView(
        String id,
        String agentId,
        String command,
        List<String> args,
        long timeoutSeconds,
        JobState state,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        String createdBy,
        Instant createdAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        Progress progress,
        String workflowId,
        String temporalUrl) {

    public record Progress(long elapsedMillis, long outputBytes, String tail) {
    }
}
