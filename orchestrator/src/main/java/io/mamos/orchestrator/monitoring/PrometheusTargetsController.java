package io.mamos.orchestrator.monitoring;

import io.mamos.orchestrator.agent.AgentAddresses;
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
 * ({@link ScrapeToken}), which grants nothing else. The host of each target is the address the
 * agent connects from ({@link AgentAddresses}), never the one it reports: a report is the agent's
 * word, and a forged one must not turn the scraper on another machine (a cloud metadata service,
 * an internal database). Only the reported port is taken, when it is an unprivileged one.
 */
@RestController
class PrometheusTargetsController {

    static final int DEFAULT_METRICS_PORT = 9101;

    private final AgentService agents;
    private final AgentAddresses addresses;
    private final ScrapeToken token;

    PrometheusTargetsController(AgentService agents, AgentAddresses addresses, ScrapeToken token) {
        this.agents = agents;
        this.addresses = addresses;
        this.token = token;
    }

    @GetMapping(ScrapeToken.PATH)
    List<TargetGroup> targets(@RequestHeader(value = "Authorization", required = false) String authorization) {
        if (!token.matches(authorization)) {
            throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "the service-discovery token is missing or wrong");
        }
        Map<String, String> connectsFrom = addresses.all();
        return agents.list(AgentStatus.ONLINE).stream()
                .filter(agent -> agent.snapshot() != null && agent.snapshot().metricsAddress() != null)
                .filter(agent -> connectsFrom.containsKey(agent.id()))
                .map(agent -> group(agent, connectsFrom.get(agent.id())))
                .toList();
    }

    private static TargetGroup group(AgentView agent, String host) {
        String target = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + port(agent.snapshot().metricsAddress());
        return new TargetGroup(List.of(target), Map.of("agent_id", agent.id(), "hostname", agent.hostname()));
    }

    /** The port of a reported {@code host:port} if it is a plain number from 1024 to 65535, else the default. */
    static int port(String reported) {
        int colon = reported.lastIndexOf(':');
        String digits = colon < 0 ? "" : reported.substring(colon + 1);
        if (!digits.matches("[0-9]{4,5}")) {
            return DEFAULT_METRICS_PORT;
        }
        int port = Integer.parseInt(digits);
        return port >= 1024 && port <= 65535 ? port : DEFAULT_METRICS_PORT;
    }

    record TargetGroup(List<String> targets, Map<String, String> labels) {
    }
}
