package io.mamos.orchestrator.agent;

import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.query.Param;

public interface AgentRepository extends ListCrudRepository<Agent, String> {

    List<Agent> findAll(Sort sort);

    List<Agent> findAllByStatus(AgentStatus status);

    List<Agent> findAllByStatus(AgentStatus status, Sort sort);

    long countByStatus(AgentStatus status);

    /** Decommissioning also revokes the agent's credential; its job history stays. */
    @Modifying
    @Query("""
            UPDATE agents SET status = 'DECOMMISSIONED', decommissioned_at = :at, credential_revoked_at = :at
            WHERE id = :id AND status <> 'DECOMMISSIONED'
            """)
    int decommission(@Param("id") String id, @Param("at") long atMillis);

    @Modifying
    @Query("UPDATE agents SET labels_json = :labels WHERE id = :id")
    int updateLabels(@Param("id") String id, @Param("labels") String labelsJson);
}
