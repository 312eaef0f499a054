package io.mamos.orchestrator.agent;

import org.springframework.data.domain.Sort;
import org.springframework.data.repository.ListCrudRepository;

public interface AgentRepository extends ListCrudRepository<Agent, String> {

    java.util.List<Agent> findAll(Sort sort);
}
