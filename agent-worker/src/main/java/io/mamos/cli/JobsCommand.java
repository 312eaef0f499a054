package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "jobs", description = "List, show, follow and cancel jobs.")
final class JobsCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "ls", description = "The latest jobs, newest first.")
    int ls(@Mixin Connection connection,
            @Option(names = "--size", defaultValue = "20", description = "How many (at most 200).") int size,
            @Option(names = "--page", defaultValue = "0", description = "Which page, from 0.") int page,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        JsonNode answer = connection.api().get("/api/v1/jobs?size=" + size + "&page=" + page);
        if (Output.printedAsJson(spec, json, answer)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("ID", "STATE", "COMMAND", "TARGETS", "RUNS", "CREATED", "BY");
        for (JsonNode job : answer.path("items")) {
            table.row(job.path("id").asText(), job.path("state").asText(), Format.command(job), Format.targets(job),
                    Format.summary(job.path("summary")), Format.time(job.get("createdAt")),
                    job.path("createdBy").asText(null));
        }
        out.print(table.render());
        out.println(answer.path("total").asLong() + " job(s) in all");
        return CliExit.OK;
    }

    @Command(name = "show", description = "One job and its runs.")
    int show(@Mixin Connection connection, @Parameters(paramLabel = "JOB") String id,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        Api api = connection.api();
        JsonNode job = api.get("/api/v1/jobs/" + Paths.segment(id));
        if (Output.printedAsJson(spec, json, job)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Job:        " + job.path("id").asText());
        out.println("Command:    " + Format.command(job));
        out.println("Targets:    " + Format.targets(job));
        out.println("State:      " + job.path("state").asText()
                + (job.hasNonNull("error") ? " (" + job.get("error").asText() + ")" : ""));
        out.println("Runs:       " + job.path("runCount").asInt() + " — " + Format.summary(job.path("summary")));
        out.println("Created:    " + Format.time(job.get("createdAt")) + " by " + job.path("createdBy").asText());
        if (job.hasNonNull("durationMillis")) {
            out.println("Duration:   " + Format.duration(job.get("durationMillis")));
        }
        if (job.hasNonNull("scheduleId")) {
            out.println("Schedule:   " + job.get("scheduleId").asText());
        }
        if (job.hasNonNull("temporalUrl")) {
            out.println("Temporal:   " + job.get("temporalUrl").asText());
        }
        out.println();
        out.print(JobFollower.summaryTable(JobFollower.runs(api, Paths.segment(id))).render());
        return CliExit.OK;
    }

    @Command(name = "watch", description = {"Follow a job to its end, as `mamos run` does.",
        "Exits 0 when every run succeeded, 3 when any did not."})
    int watch(@Mixin Connection connection, @Parameters(paramLabel = "JOB") String id,
            @Option(names = "--group", description = "Each host's output in one piece.") boolean group,
            @Option(names = "--json", description = "Print the finished job and its runs as JSON.") boolean json) {
        Api api = connection.api();
        String jobId = api.get("/api/v1/jobs/" + Paths.segment(id)).path("id").asText(); // a clear 404 first
        return new JobFollower(api, spec.commandLine().getOut(), spec.commandLine().getErr(), json, group,
                System.console()).follow(jobId, Interrupts.install());
    }

    @Command(name = "cancel", description = "Cancel a job: its running processes are killed, no further run starts.")
    int cancel(@Mixin Connection connection, @Parameters(paramLabel = "JOB") String id) {
        JsonNode job = connection.api().post("/api/v1/jobs/" + Paths.segment(id) + "/cancel", null);
        spec.commandLine().getOut().println("Cancel requested for job " + job.path("id").asText() + " (now "
                + job.path("state").asText() + ")");
        return CliExit.OK;
    }
}
