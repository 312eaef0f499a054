package io.mamos.workflows;

/** Task-queue and workflow-id naming shared by the orchestrator and every agent. */
public final class TaskQueues {

    /** The orchestrator's own queue: job workflows and the store-mirroring activities run here. */
    public static final String ORCHESTRATOR = "mamos-orchestrator";

    private static final String AGENT_PREFIX = "mamos-agent-";

    private TaskQueues() {
    }

    /** Each agent polls a queue of its own, so a command can only ever reach the agent it names. */
    public static String forAgent(String agentId) {
        return AGENT_PREFIX + agentId;
    }

    /** Job workflow ids derive from job ids so a repeated start is deduplicated by Temporal. */
    public static String jobWorkflowId(String jobId) {
        return "job-" + jobId;
    }

    /** A fan-out job's run on one agent is a child workflow of the job's workflow. */
    public static String runWorkflowId(String jobId, String agentId) {
        return jobWorkflowId(jobId) + "-run-" + agentId;
    }

    /** Each agent has one liveness workflow for its whole enrolled life. */
    public static String agentWorkflowId(String agentId) {
        return "agent-" + agentId;
    }
}
