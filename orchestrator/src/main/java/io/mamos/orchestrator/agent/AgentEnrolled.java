package io.mamos.orchestrator.agent;

/** Published inside the enrollment transaction; liveness starts once it has committed. */
public record AgentEnrolled(String agentId) {
}
