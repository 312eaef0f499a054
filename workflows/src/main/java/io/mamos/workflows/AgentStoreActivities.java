package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;

/**
 * Orchestrator-side activities that mirror an agent's presence into the store; called as local
 * activities by {@link AgentLivenessWorkflow}. Idempotent.
 */
@ActivityInterface
public interface AgentStoreActivities {

    /** The agent answered: it is ONLINE, and this is its latest snapshot. */
    void agentOnline(String agentId, SystemSnapshot snapshot, long atMillis);

    /** The agent stopped heartbeating: it is OFFLINE since {@code atMillis}. */
    void agentOffline(String agentId, long atMillis, String reason);
}
