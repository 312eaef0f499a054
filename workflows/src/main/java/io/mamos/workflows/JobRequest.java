package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Input of {@link JobWorkflow}: one command for one or many agents.
 *
 * @param jobId                   the job's id in the orchestrator's store
 * @param targets                 the agents, resolved and recorded on the job at submission
 * @param command                 the command, already checked against the orchestrator's policy
 * @param timeoutSeconds          how long the command may run on each agent
 * @param agentWaitSeconds        how long each run may wait for an offline agent to pick it up
 *                                (schedule-to-start) before it ends as {@link JobState#AGENT_OFFLINE};
 *                                while the agent is online (busy), the run waits on, up to
 *                                {@link #BUSY_AGENT_WAIT_SECONDS}
 * @param heartbeatTimeoutSeconds silence from a running command after which its agent is
 *                                considered gone and the run ends as {@link JobState#AGENT_LOST}
 * @param maxOutputBytes          per-stream output cap passed to the agent
 * @param concurrency             runs in flight at once; 0 means all targets at once, up to
 *                                {@link JobWorkflowImpl#MAX_RUNS_IN_FLIGHT}
 * @param maxFailures             once this many runs did not succeed no further run starts
 *                                (they end {@link JobState#SKIPPED}); 0 means no threshold
 * @param jobTimeoutSeconds       limit on the whole job: when it passes, running runs are cancelled
 *                                and the rest skipped, and the job ends TIMED_OUT; 0 means none
 * @param retry                   retry of runs lost to agent failure
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRequest(
        String jobId,
        List<RunTarget> targets,
        CommandSpec command,
        long timeoutSeconds,
        long agentWaitSeconds,
        long heartbeatTimeoutSeconds,
        int maxOutputBytes,
        int concurrency,
        int maxFailures,
        long jobTimeoutSeconds,
        RetrySpec retry) {

    /**
     * How long a run waits, at most, for an agent that stays online but does not pick its command
     * up (every command slot busy with a backlog): then it ends {@link JobState#AGENT_OFFLINE}
     * too, saying so. The orchestrator's bound on a job workflow's run time allows for it.
     */
    public static final long BUSY_AGENT_WAIT_SECONDS = 3_600;

    public JobRequest {
        targets = List.copyOf(targets);
        retry = retry == null ? RetrySpec.NONE : retry;
    }

    /** The run of this job on one target. */
    public RunRequest run(RunTarget target) {
        return new RunRequest(jobId, target.agentId(), target.taskQueue(), command, timeoutSeconds, agentWaitSeconds,
                heartbeatTimeoutSeconds, maxOutputBytes, retry);
    }
}
