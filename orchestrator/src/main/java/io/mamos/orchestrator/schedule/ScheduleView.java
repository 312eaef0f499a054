package io.mamos.orchestrator.schedule;

import io.mamos.orchestrator.job.JobSubmission;
import java.time.Instant;
import java.util.List;

/**
 * A schedule as the API shows it; {@code paused} and {@code nextRunTimes} come from Temporal.
 *
 * @param recentJobIds the latest jobs it fired, newest first
 */
public record ScheduleView(
        String id,
        String name,
        String cron,
        boolean paused,
        String note,
        JobSubmission job,
        List<Instant> nextRunTimes,
        List<String> recentJobIds,
        String createdBy,
        Instant createdAt,
        String temporalScheduleId) {
}
