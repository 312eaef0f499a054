package io.mamos.orchestrator.agent;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What an agent may call with its own credential (see the security configuration): only
 * {@code /api/v1/agent/**}, and only about itself.
 */
@RestController
@RequestMapping("/api/v1/agent")
class AgentSelfController {

    private final AgentService agents;

    AgentSelfController(AgentService agents) {
        this.agents = agents;
    }

    /** The calling agent as the orchestrator sees it: id, status, task queue (and labels, snapshot). */
    @GetMapping("/self")
    AgentView self(Authentication agent) {
        return agents.get(agent.getName());
    }
}
