package io.mamos.orchestrator.enrollment;

import java.time.Instant;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

public interface EnrollmentTokenRepository extends ListCrudRepository<EnrollmentToken, String> {

    /**
     * Marks a token used if, and only if, it is still usable. One conditional UPDATE is atomic in
     * SQLite, so of two concurrent enrollments with the same token exactly one sees a row changed.
     */
    @Modifying
    @Query("""
            UPDATE enrollment_tokens SET used_at = :now, agent_id = :agentId
            WHERE token_hash = :tokenHash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > :now
            """)
    int claim(@Param("tokenHash") String tokenHash, @Param("agentId") String agentId, @Param("now") long nowMillis);

    java.util.List<EnrollmentToken> findAllByOrderByCreatedAtDesc();

    /** Revokes a token that has not been used; a used or already revoked token is left as it is. */
    @Modifying
    @Query("UPDATE enrollment_tokens SET revoked_at = :now WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL")
    int revoke(@Param("id") String id, @Param("now") long nowMillis);

    /** Gives the agent that spent a token the token's labels (same transaction as the claim). */
    @Modifying
    @Query("""
            UPDATE agents SET labels_json = (SELECT labels_json FROM enrollment_tokens WHERE agent_id = :agentId)
            WHERE id = :agentId
            """)
    int copyLabelsToAgent(@Param("agentId") String agentId);
}
