package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it. Each agent's result is a run ({@code GET /api/v1/jobs/{id}/runs});
 * when the job has exactly one run, that run's result is repeated here ({@code agentId},
 * {@code exitCode}, {@code stdout}, {@code stderr}, {@code outputTruncated}, {@code progress},
 * {@code error}), so single-agent clients need only this view.
 *
 * @param targets     what was asked for: explicit ids, a selector, or all online agents
 * @param runCount    agents the targets resolved to at submission
 * @param summary     runs by state
 * @param scheduleId  the schedule that fired this job, if one did
 * @param temporalUrl the job's history in the Temporal Web UI
 */
public record JobView(
        String id,
        String command,
        List<String> args,
        long timeoutSeconds,
        JobState state,
        JobSubmission.Targets targets,
        Object concurrency,
        Object maxFailures,
        Long offlineWaitSeconds,
        Long jobTimeoutSeconds,
        JobSubmission.Retry retry,
        int runCount,
        Map<JobState, Integer> summary,
        String error,
        String createdBy,
        Instant createdAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMillis,
        String workflowId,
        String temporalUrl,
        String scheduleId,
        String agentId,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        Progress progress) {

    public record Progress(long elapsedMillis, long outputBytes, String tail) {
    }
}
