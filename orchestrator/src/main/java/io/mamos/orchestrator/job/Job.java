package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A job as stored: the command it ran, where, and what came of it. */
@Table("jobs")
public record Job(
        @Id String id,
        String agentId,
        String commandName,
        String executable,
        String argsJson,
        long timeoutSeconds,
        JobState state,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        String workflowId,
        String createdBy,
        Instant createdAt,
        Instant dispatchedAt,
        Instant startedAt,
        Instant finishedAt,
        String progressJson) {
}
