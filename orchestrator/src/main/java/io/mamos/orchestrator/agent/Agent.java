package io.mamos.orchestrator.agent;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

@Table("agents")
public record Agent(
        @Id String id,
        String hostname,
        String os,
        String agentVersion,
        String taskQueue,
        String credentialHash,
        AgentStatus status,
        Instant enrolledAt,
        Instant lastSeenAt,
        String snapshotJson,
        Instant wentOfflineAt,
        Instant cameBackAt,
        Instant decommissionedAt,
        Instant credentialRevokedAt,
        String labelsJson) {
}
