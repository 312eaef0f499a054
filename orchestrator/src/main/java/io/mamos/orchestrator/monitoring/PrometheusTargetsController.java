package io.mamos.orchestrator.monitoring;

import io.mamos.orchestrator.agent.AgentService;
import io.mamos.orchestrator.agent.AgentStatus;
import io.mamos.orchestrator.agent.AgentView;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Prometheus HTTP service discovery: the metrics endpoints of online agents, so a new agent is
 * scraped without editing Prometheus's configuration. Authenticated with its own bearer token
 * ({@link ScrapeToken}), which grants nothing else.
 */
@RestController
class PrometheusTargetsController {

    private final AgentService agents;
    private final ScrapeToken token;

    PrometheusTargetsController(AgentService agents, ScrapeToken token) {
        this.agents = agents;
        this.token = token;
    }

    @GetMapping(ScrapeToken.PATH)
    List<TargetGroup> targets(@RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!token.matches(authorization)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "the service-discovery token is missing or wrong");
        }
        return agents.list(AgentStatus.ONLINE).stream()
                .filter(agent -> agent.snapshot() != null && agent.snapshot().metricsAddress() != null)
                .map(PrometheusTargetsController::group)
                .toList();
    }

    private static TargetGroup group(AgentView agent) {
        return new TargetGroup(List.of(agent.snapshot().metricsAddress()),
                Map.of("agent_id", agent.id(), "hostname", agent.hostname()));
    }

    record TargetGroup(List<String> targets, Map<String, String> labels) {
    }
}
