package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of {@link AgentLivenessWorkflow}; carried over on continue-as-new.
 *
 * @param agentId                     the agent
 * @param intervalSeconds             liveness interval: the agent heartbeats every 1.5 intervals, silence for
 *                                    2.5 intervals marks it OFFLINE
 * @param sessionSeconds              length of one {@link LivenessActivities#reportLiveness} session
 * @param sessionsBeforeContinueAsNew sessions per workflow run, which bounds the run's history
 * @param online                      whether the agent was last recorded ONLINE
 * @param livenessQueue               whether the agent last said it polls its liveness queue
 *                                    ({@link SystemSnapshot#livenessQueue}); false in runs started before
 *                                    that queue existed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LivenessParams(
        String agentId,
        long intervalSeconds,
        long sessionSeconds,
        int sessionsBeforeContinueAsNew,
        boolean online,
        boolean livenessQueue) {

    /** What the next run continues with. */
    public LivenessParams carriedOver(boolean nowOnline, boolean nowOnLivenessQueue) {
        return new LivenessParams(agentId, intervalSeconds, sessionSeconds, sessionsBeforeContinueAsNew, nowOnline,
                nowOnLivenessQueue);
    }
}
