package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "commands", description = "The whitelist: the commands jobs may run, with their argument rules.")
final class CommandsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() {
        JsonNode answer = connection.api().get("/api/v1/commands");
        if (Output.printedAsJson(spec, json, answer)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("COMMAND", "ARGS", "MAX TIMEOUT", "ROLES", "DESCRIPTION");
        for (JsonNode command : answer.path("items")) {
            List<String> roles = new ArrayList<>();
            command.path("roles").forEach(role -> roles.add(role.asText()));
            table.row(command.path("name").asText(), argumentsOf(command),
                    command.hasNonNull("maxTimeoutSeconds") ? command.get("maxTimeoutSeconds").asLong() + "s" : null,
                    String.join(",", roles), command.path("description").asText(null));
        }
        out.print(table.render());
        return CliExit.OK;
    }

    /** {@code 0-3: option} style: how many arguments, and what the named ones mean. */
    static String argumentsOf(JsonNode command) {
        int min = command.path("minArgs").asInt();
        int max = command.path("maxArgs").asInt();
        StringBuilder text = new StringBuilder(min == max ? String.valueOf(min) : min + "-" + max);
        List<String> names = new ArrayList<>();
        command.path("args").forEach(arg -> names.add(arg.path("name").asText()));
        if (command.path("rest").hasNonNull("name")) {
            names.add(command.path("rest").path("name").asText() + "…");
        }
        if (!names.isEmpty()) {
            text.append(": ").append(String.join(" ", names));
        }
        return text.toString();
    }
}
