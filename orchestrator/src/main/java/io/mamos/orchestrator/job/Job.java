package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/**
 * A job as stored: the command, what it targeted, its options and its overall state. What
 * happened on each agent is in its runs ({@link RunStore}).
 */
@Table("jobs")
public record Job(
        @Id String id,
        String commandName,
        String executable,
        String argsJson,
        long timeoutSeconds,
        String targetsJson,
        String optionsJson,
        int runCount,
        JobState state,
        String error,
        String workflowId,
        String scheduleId,
        String createdBy,
        Instant createdAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt) {
}
