package io.mamos.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Model.CommandSpec;

/** JSON as {@code --json} prints it: the API's own objects, indented. */
final class Output {

    private Output() {
    }

    static String pretty(JsonNode node) {
        try {
            return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new CliException(CliExit.SOFTWARE, "cannot print JSON: " + e.getMessage(), e);
        }
    }

    /** With {@code --json}, prints {@code node} and says so; the caller then prints nothing else. */
    static boolean printedAsJson(CommandSpec spec, boolean json, JsonNode node) {
        if (json) {
            spec.commandLine().getOut().println(pretty(node));
        }
        return json;
    }
}
