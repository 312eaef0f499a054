package io.mamos.orchestrator.agent;

/** Whether an agent can take work. Liveness tracking (ONLINE/OFFLINE) builds on this. */
public enum AgentStatus {
    /** Enrolled; no liveness signal seen yet. */
    ENROLLED,
    ONLINE,
    OFFLINE,
    DECOMMISSIONED
}
