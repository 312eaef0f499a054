package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of {@link LivenessActivities#reportLiveness}.
 *
 * @param agentId         the agent the session belongs to
 * @param heartbeatMillis how often to heartbeat a {@link SystemSnapshot}
 * @param durationSeconds how long the session lasts before the activity returns; sessions end
 *                        so the workflow can record them and keep its history short
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LivenessSession(String agentId, long heartbeatMillis, long durationSeconds) {
}
