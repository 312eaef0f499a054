package io.mamos.orchestrator.agent;

/** Published inside the application whenever an agent's stored state changes. */
public record AgentChanged(String agentId) {
}
