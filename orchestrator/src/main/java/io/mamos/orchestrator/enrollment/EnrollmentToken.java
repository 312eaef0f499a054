package io.mamos.orchestrator.enrollment;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A one-time enrollment token; only its hash is stored. */
@Table("enrollment_tokens")
public record EnrollmentToken(
        @Id String id,
        String tokenHash,
        String createdBy,
        Instant createdAt,
        Instant expiresAt,
        Instant usedAt,
        String agentId,
        Instant revokedAt,
        String labelsJson) {

    public String state(Instant now) {
        if (revokedAt != null) {
            return "REVOKED";
        }
        if (usedAt != null) {
            return "USED";
        }
        return expiresAt.isAfter(now) ? "ACTIVE" : "EXPIRED";
    }
}
