package io.mamos.orchestrator.agent;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code mamos_agents{status}}: how many agents are in each state, read from the store at scrape time. */
@Component
class AgentMetrics {

    AgentMetrics(MeterRegistry registry, AgentRepository agents) {
        for (AgentStatus status : AgentStatus.values()) {
            Gauge.builder("mamos.agents", agents, repository -> repository.countByStatus(status))
                    .description("Agents by status")
                    .tag("status", status.name())
                    .register(registry);
        }
    }
}
