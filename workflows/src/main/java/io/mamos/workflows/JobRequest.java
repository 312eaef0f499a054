package io.mamos.workflows;

/**
 * Input of {@link JobWorkflow}.
 *
 * @param jobId                   the job's id in the orchestrator's store
 * @param agentId                 the target agent; its queue is {@link TaskQueues#forAgent}
 * @param command                 the command, already checked against the orchestrator's policy
 * @param timeoutSeconds          how long the command may run
 * @param agentWaitSeconds        how long the command may wait for the agent to pick it up
 *                                (schedule-to-start) before the job ends as {@link JobState#AGENT_OFFLINE}
 * @param heartbeatTimeoutSeconds silence from a running command after which the agent is
 *                                considered gone and the job ends as {@link JobState#AGENT_LOST}
 * @param maxOutputBytes          per-stream output cap passed to the agent
 */
public record JobRequest(
        String jobId,
        String agentId,
        CommandSpec command,
        long timeoutSeconds,
        long agentWaitSeconds,
        long heartbeatTimeoutSeconds,
        int maxOutputBytes) {
}
