package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "A job's runs (one per agent): state, exit code, duration; --output adds their output.")
final class RunsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @Parameters(paramLabel = "JOB")
    String jobId;

    @Option(names = "--output", description = "Print each run's (capped) stdout and stderr too.")
    boolean output;

    @Option(names = "--json", description = "Print the API's JSON.")
    boolean json;

    @Override
    public Integer call() {
        Api api = connection.api();
        api.get("/api/v1/jobs/" + Paths.segment(jobId));
        List<JsonNode> runs = JobFollower.runs(api, Paths.segment(jobId));
        if (Output.printedAsJson(spec, json, Api.JSON.valueToTree(runs))) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(JobFollower.summaryTable(runs).render());
        if (output) {
            for (JsonNode run : runs) {
                out.println();
                out.println("== " + JobFollower.host(run) + " (" + run.path("state").asText() + ") ==");
                out.print(run.path("stdout").asText(""));
                if (!run.path("stderr").asText("").isEmpty()) {
                    out.println("-- stderr --");
                    out.print(run.path("stderr").asText());
                }
            }
        }
        return CliExit.OK;
    }
}
