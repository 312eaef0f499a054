package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.web.NotFoundException;
import java.util.List;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/agents")
class AgentController {

    private final AgentRepository agents;

    AgentController(AgentRepository agents) {
        this.agents = agents;
    }

    @GetMapping
    AgentList list() {
        return new AgentList(agents.findAll(Sort.by("enrolledAt")).stream().map(AgentView::of).toList());
    }

    @GetMapping("/{id}")
    AgentView get(@PathVariable String id) {
        return agents.findById(id).map(AgentView::of).orElseThrow(() -> new NotFoundException("agent", id));
    }

    record AgentList(List<AgentView> items) {
    }
}
