package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Agent-side liveness, scheduled on the agent's own queue by {@link AgentLivenessWorkflow}.
 * Heartbeats carry no history events, so a liveness session costs a handful of events
 * whatever its length.
 */
@ActivityInterface
public interface LivenessActivities {

    /** Returns a snapshot at once. Completing it proves the agent is polling its queue. */
    @ActivityMethod(name = "CheckIn")
    SystemSnapshot checkIn(String agentId);

    /**
     * Heartbeats a fresh {@link SystemSnapshot} every {@code intervalSeconds} for
     * {@code durationSeconds}, then returns the last one. Ends early when cancelled.
     */
    @ActivityMethod(name = "ReportLiveness")
    SystemSnapshot reportLiveness(LivenessSession session);
}
