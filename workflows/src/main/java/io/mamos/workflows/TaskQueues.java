package io.mamos.workflows;

/** Task-queue and workflow-id naming shared by the orchestrator and every agent. */
public final class TaskQueues {

    /** The orchestrator's own queue: job workflows and the store-mirroring activities run here. */
    public static final String ORCHESTRATOR = "mamos-orchestrator";

    private static final String AGENT_PREFIX = "mamos-agent-";

    private static final String LIVENESS_PREFIX = "mamos-liveness-";

    private TaskQueues() {
    }

    /** Each agent polls a queue of its own, so a command can only ever reach the agent it names. */
    public static String forAgent(String agentId) {
        return AGENT_PREFIX + agentId;
    }

    /**
     * Each agent also polls a liveness queue of its own, with nothing but its liveness check-ins
     * and sessions: a backlog of commands on {@link #forAgent} (a busy agent) never delays them, so
     * a busy agent is not taken for an offline one. Agents that do say so in their snapshots
     * ({@link SystemSnapshot#livenessQueue}); older ones get their liveness on {@link #forAgent}.
     */
    public static String livenessForAgent(String agentId) {
        return LIVENESS_PREFIX + agentId;
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
