package io.mamos.orchestrator.agent;

import jakarta.servlet.http.HttpServletRequest;
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
    private final AgentAddresses addresses;

    AgentSelfController(AgentService agents, AgentAddresses addresses) {
        this.agents = agents;
        this.addresses = addresses;
    }

    /**
     * The calling agent as the orchestrator sees it: id, status, task queue (and labels, snapshot).
     * Agents ask at start-up, so the address they call from is recorded here too.
     */
    @GetMapping("/self")
    AgentView self(Authentication agent, HttpServletRequest http) {
        addresses.record(agent.getName(), http.getRemoteAddr());
        return agents.get(agent.getName());
    }
}
