package io.mamos.orchestrator.agent;

import io.mamos.workflows.SystemSnapshot;
import java.time.Instant;

/**
 * An agent as the API shows it: never its credential hash.
 *
 * @param labels   what jobs select it by ({@code env=prod}, {@code role=web})
 * @param snapshot the latest system snapshot it heartbeated, when it has sent one
 */
public record AgentView(
        String id,
        String hostname,
        String os,
        String agentVersion,
        String taskQueue,
        AgentStatus status,
        Instant enrolledAt,
        Instant lastSeenAt,
        Instant wentOfflineAt,
        Instant cameBackAt,
        Instant decommissionedAt,
        java.util.Map<String, String> labels,
        SystemSnapshot snapshot) {
}
