package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Which agents a job runs on: exactly one of {@code -a}, {@code -l} or {@code --all}. */
final class Targets {

    @Option(names = {"-a", "--agent"}, paramLabel = "AGENT", split = ",", required = true,
            description = "An agent by id or hostname; repeat or separate with commas.")
    List<String> agents;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", required = true,
            description = "Online agents whose labels match, e.g. 'env=prod,role in (web,api)'.")
    String selector;

    @Option(names = "--all", required = true, description = "Every online agent.")
    boolean all;

    /** The {@code targets} object of a job submission; hostnames are resolved to agent ids. */
    Map<String, Object> toJson(Api api) {
        Map<String, Object> targets = new LinkedHashMap<>();
        if (selector != null) {
            targets.put("selector", selector);
        } else if (all) {
            targets.put("all", true);
        } else {
            targets.put("agentIds", resolve(agents, api.get("/api/v1/agents").path("items")));
        }
        return targets;
    }

    /** Ids stay ids; a name that is no id but exactly one agent's hostname becomes that agent's id. */
    static List<String> resolve(List<String> names, JsonNode agents) {
        List<String> ids = new ArrayList<>();
        for (String name : names) {
            List<String> byHost = new ArrayList<>();
            boolean isId = false;
            for (JsonNode agent : agents) {
                if (name.equals(agent.path("id").asText())) {
                    isId = true;
                }
                if (name.equals(agent.path("hostname").asText())
                        && !"DECOMMISSIONED".equals(agent.path("status").asText())) {
                    byHost.add(agent.path("id").asText());
                }
            }
            if (isId || byHost.isEmpty()) {
                ids.add(name); // an unknown name is the server's to refuse, in its own words
            } else if (byHost.size() == 1) {
                ids.add(byHost.get(0));
            } else {
                throw new CliException(CliExit.USAGE, "hostname " + name + " names " + byHost.size()
                        + " agents (" + String.join(", ", byHost) + "); give the agent id");
            }
        }
        return ids;
    }
}
