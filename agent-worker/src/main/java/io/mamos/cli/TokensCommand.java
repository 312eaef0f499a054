package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tokens", description = "One-time enrollment tokens for new agents (admin).")
final class TokensCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "create", description = {"A new one-time enrollment token; the secret is shown this once.",
        "Enroll with it: mamos agent enroll --server URL --token TOKEN"})
    int create(@Mixin Connection connection,
            @Option(names = "--ttl", paramLabel = "SECONDS", description = "Lifetime (default: the server's).")
            Long ttlSeconds,
            @Option(names = "--label", paramLabel = "KEY=VALUE",
                    description = "A label the enrolled agent gets; repeatable.") List<String> labels,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        if (labels != null) {
            body.put("labels", AgentsCommand.applyLabelChanges(Api.JSON.createObjectNode(), labels));
        }
        JsonNode created = connection.api().post("/api/v1/enrollment-tokens", body);
        if (Output.printedAsJson(spec, json, created)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(created.path("token").asText());
        spec.commandLine().getErr().println("token " + created.path("id").asText() + ", expires "
                + Format.time(created.get("expiresAt")) + "; the secret above is not shown again");
        return CliExit.OK;
    }

    @Command(name = "ls", description = "Enrollment tokens and their state (never their secrets).")
    int ls(@Mixin Connection connection, @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        JsonNode answer = connection.api().get("/api/v1/enrollment-tokens");
        if (Output.printedAsJson(spec, json, answer)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("ID", "STATE", "LABELS", "CREATED", "EXPIRES", "AGENT");
        for (JsonNode token : answer.path("items")) {
            table.row(token.path("id").asText(), token.path("state").asText(), Format.labels(token.path("labels")),
                    Format.time(token.get("createdAt")), Format.time(token.get("expiresAt")),
                    token.path("agentId").asText(null));
        }
        out.print(table.render());
        return CliExit.OK;
    }

    @Command(name = "revoke", description = "Revoke an unused token.")
    int revoke(@Mixin Connection connection, @Parameters(paramLabel = "TOKEN_ID") String id) {
        connection.api().delete("/api/v1/enrollment-tokens/" + Paths.segment(id));
        spec.commandLine().getOut().println("Token " + id + " revoked.");
        return CliExit.OK;
    }
}
