package io.mamos.orchestrator.agent;

import java.time.Instant;

/** An agent as the API shows it: never its credential hash. */
public record AgentView(
        String id,
        String hostname,
        String os,
        String agentVersion,
        String taskQueue,
        AgentStatus status,
        Instant enrolledAt,
        Instant lastSeenAt) {

    static AgentView of(Agent agent) {
        return new AgentView(agent.id(), agent.hostname(), agent.os(), agent.agentVersion(), agent.taskQueue(),
                agent.status(), agent.enrolledAt(), agent.lastSeenAt());
    }
}
