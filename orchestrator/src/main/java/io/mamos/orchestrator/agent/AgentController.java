package io.mamos.orchestrator.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/agents")
class AgentController {

    private final AgentService agents;

    AgentController(AgentService agents) {
        this.agents = agents;
    }

    @GetMapping
    AgentList list(@RequestParam(required = false) AgentStatus status) {
        return new AgentList(agents.list(status));
    }

    @GetMapping("/{id}")
    AgentView get(@PathVariable String id) {
        return agents.get(id);
    }

    /** Stored metric samples of one agent, oldest first; the last hour unless a range is given. */
    @GetMapping("/{id}/metrics")
    MetricHistory metrics(@PathVariable String id, @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to) {
        return new MetricHistory(agents.history(id, from, to));
    }

    /** Replaces the agent's labels (admin). */
    @PutMapping("/{id}/labels")
    AgentView labels(@PathVariable String id, @jakarta.validation.Valid @RequestBody LabelsRequest request, Authentication user) {
        return agents.updateLabels(id, request.labels(), user.getName());
    }

    @PostMapping("/{id}/decommission")
    AgentView decommission(@PathVariable String id, Authentication user) {
        return agents.decommission(id, user.getName());
    }

    record LabelsRequest(@jakarta.validation.constraints.NotNull Map<String, String> labels) {
    }

    record AgentList(List<AgentView> items) {
    }

    record MetricHistory(List<AgentSnapshotStore.MetricSample> items) {
    }
}
