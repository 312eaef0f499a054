package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of {@link RunWorkflow}: the job's command on one agent. Fields as in {@link JobRequest}.
 *
 * @param taskQueue the agent's own queue
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequest(
        String jobId,
        String agentId,
        String taskQueue,
        CommandSpec command,
        long timeoutSeconds,
        long agentWaitSeconds,
        long heartbeatTimeoutSeconds,
        int maxOutputBytes,
        RetrySpec retry) {
}
