package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "agents", description = "List and show agents; set their labels.")
final class AgentsCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "ls", description = "Every agent with its status, labels and latest load.")
    int ls(@Mixin Connection connection,
            @Option(names = "--status", paramLabel = "STATUS",
                    description = "Only ENROLLED, ONLINE, OFFLINE or DECOMMISSIONED agents.") String status,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        JsonNode answer = connection.api().get("/api/v1/agents" + (status == null ? "" : "?status="
                + Paths.segment(status)));
        if (Output.printedAsJson(spec, json, answer)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("ID", "HOSTNAME", "STATUS", "LABELS", "VERSION", "LAST SEEN");
        for (JsonNode agent : answer.path("items")) {
            table.row(agent.path("id").asText(), agent.path("hostname").asText(), agent.path("status").asText(),
                    Format.labels(agent.path("labels")), agent.path("agentVersion").asText(null),
                    Format.time(agent.get("lastSeenAt")));
        }
        out.print(table.render());
        return CliExit.OK;
    }

    @Command(name = "show", description = "One agent (by id or hostname), with its latest system snapshot.")
    int show(@Mixin Connection connection, @Parameters(paramLabel = "AGENT") String agent,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        Api api = connection.api();
        JsonNode view = api.get("/api/v1/agents/" + Paths.segment(resolve(api, agent)));
        if (Output.printedAsJson(spec, json, view)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Agent:      " + view.path("id").asText());
        out.println("Hostname:   " + view.path("hostname").asText());
        out.println("Status:     " + view.path("status").asText());
        out.println("Labels:     " + Format.labels(view.path("labels")));
        out.println("OS:         " + view.path("os").asText("-"));
        out.println("Version:    " + view.path("agentVersion").asText("-"));
        out.println("Task queue: " + view.path("taskQueue").asText());
        out.println("Enrolled:   " + Format.time(view.get("enrolledAt")));
        out.println("Last seen:  " + Format.time(view.get("lastSeenAt")));
        JsonNode snapshot = view.path("snapshot");
        if (snapshot.isObject()) {
            out.println("Snapshot:");
            for (Iterator<Map.Entry<String, JsonNode>> it = snapshot.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isValueNode()) {
                    out.println("  " + field.getKey() + ": " + field.getValue().asText());
                }
            }
        }
        return CliExit.OK;
    }

    @Command(name = "label", description = {"Set (KEY=VALUE) or remove (KEY-) labels of an agent (admin).",
        "Example: mamos agents label web-1 env=prod role=web old-"})
    int label(@Mixin Connection connection, @Parameters(index = "0", paramLabel = "AGENT") String agent,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY=VALUE|KEY-") List<String> changes,
            @Option(names = "--replace", description = "Replace all labels with the given ones.") boolean replace) {
        Api api = connection.api();
        String id = resolve(api, agent);
        JsonNode current = api.get("/api/v1/agents/" + Paths.segment(id)).path("labels");
        Map<String, String> labels = applyLabelChanges(replace ? Api.JSON.createObjectNode() : current, changes);
        JsonNode updated = api.put("/api/v1/agents/" + Paths.segment(id) + "/labels", Map.of("labels", labels));
        spec.commandLine().getOut().println(updated.path("id").asText(id) + " labels: "
                + Format.labels(updated.path("labels")));
        return CliExit.OK;
    }

    /** {@code KEY=VALUE} sets, {@code KEY-} removes, as {@code kubectl label} reads them. */
    static Map<String, String> applyLabelChanges(JsonNode current, List<String> changes) {
        Map<String, String> labels = new LinkedHashMap<>();
        current.fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        for (String change : changes) {
            int equals = change.indexOf('=');
            if (equals > 0) {
                labels.put(change.substring(0, equals), change.substring(equals + 1));
            } else if (change.endsWith("-") && change.length() > 1) {
                labels.remove(change.substring(0, change.length() - 1));
            } else {
                throw new CliException(CliExit.USAGE, "not a label change: '" + change
                        + "' (KEY=VALUE sets, KEY- removes)");
            }
        }
        return labels;
    }

    private static String resolve(Api api, String agent) {
        return Targets.resolve(List.of(agent), api.get("/api/v1/agents").path("items")).get(0);
    }
}
