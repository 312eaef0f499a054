package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "schedules", description = "Recurring jobs on a cron (Temporal Schedules); each firing is a normal job.",
        subcommands = SchedulesCommand.Create.class)
final class SchedulesCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "ls", description = "Every schedule with its next firing.")
    int ls(@Mixin Connection connection, @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        JsonNode answer = connection.api().get("/api/v1/schedules");
        if (Output.printedAsJson(spec, json, answer)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        Table table = new Table("ID", "NAME", "CRON", "PAUSED", "COMMAND", "TARGETS", "NEXT");
        for (JsonNode schedule : answer.path("items")) {
            table.row(schedule.path("id").asText(), schedule.path("name").asText(), schedule.path("cron").asText(),
                    schedule.path("paused").asBoolean() ? "yes" : "no", Format.command(schedule.path("job")),
                    Format.targets(schedule.path("job")), Format.time(schedule.path("nextRunTimes").get(0)));
        }
        out.print(table.render());
        return CliExit.OK;
    }

    @Command(name = "show", description = "One schedule: its job, next firings and latest jobs.")
    int show(@Mixin Connection connection, @Parameters(paramLabel = "SCHEDULE") String id,
            @Option(names = "--json", description = "Print the API's JSON.") boolean json) {
        JsonNode schedule = connection.api().get("/api/v1/schedules/" + Paths.segment(id));
        if (Output.printedAsJson(spec, json, schedule)) {
            return CliExit.OK;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Schedule:   " + schedule.path("id").asText() + " (" + schedule.path("name").asText() + ")");
        out.println("Cron:       " + schedule.path("cron").asText() + " (UTC)");
        out.println("Paused:     " + (schedule.path("paused").asBoolean() ? "yes" : "no")
                + (schedule.hasNonNull("note") ? " — " + schedule.get("note").asText() : ""));
        out.println("Command:    " + Format.command(schedule.path("job")));
        out.println("Targets:    " + Format.targets(schedule.path("job")));
        List<String> next = new ArrayList<>();
        schedule.path("nextRunTimes").forEach(time -> next.add(Format.time(time)));
        out.println("Next:       " + String.join(", ", next));
        List<String> recent = new ArrayList<>();
        schedule.path("recentJobIds").forEach(job -> recent.add(job.asText()));
        out.println("Recent jobs: " + (recent.isEmpty() ? "-" : String.join(", ", recent)));
        out.println("Created:    " + Format.time(schedule.get("createdAt")) + " by "
                + schedule.path("createdBy").asText());
        return CliExit.OK;
    }

    @Command(name = "pause", description = "Stop firing until resumed.")
    int pause(@Mixin Connection connection, @Parameters(paramLabel = "SCHEDULE") String id,
            @Option(names = "--note", description = "Why, shown with the schedule.") String note) {
        JsonNode schedule = connection.api().post("/api/v1/schedules/" + Paths.segment(id) + "/pause",
                note == null ? Map.of() : Map.of("note", note));
        return said("Paused schedule " + schedule.path("id").asText() + ".");
    }

    @Command(name = "resume", description = "Fire on the cron again.")
    int resume(@Mixin Connection connection, @Parameters(paramLabel = "SCHEDULE") String id) {
        JsonNode schedule = connection.api().post("/api/v1/schedules/" + Paths.segment(id) + "/resume", null);
        return said("Resumed schedule " + schedule.path("id").asText() + ".");
    }

    @Command(name = "trigger", description = "Fire once now (also while paused).")
    int trigger(@Mixin Connection connection, @Parameters(paramLabel = "SCHEDULE") String id) {
        connection.api().post("/api/v1/schedules/" + Paths.segment(id) + "/trigger", null);
        return said("Triggered schedule " + id + "; its job shows in `mamos schedules show " + id + "`.");
    }

    @Command(name = "delete", description = "Delete a schedule; the jobs it fired stay.")
    int delete(@Mixin Connection connection, @Parameters(paramLabel = "SCHEDULE") String id) {
        connection.api().delete("/api/v1/schedules/" + Paths.segment(id));
        return said("Deleted schedule " + id + ".");
    }

    private int said(String message) {
        spec.commandLine().getOut().println(message);
        return CliExit.OK;
    }

    @Command(name = "create", description = {"A schedule firing a job on a cron.",
        "Example: mamos schedules create --name nightly-df --cron '0 3 * * *' -l env=prod -- df -h"})
    static final class Create implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Mixin
        Connection connection;

        @Option(names = "--name", required = true, description = "A name for people.")
        String name;

        @Option(names = "--cron", required = true,
                description = "5 fields (minute hour day-of-month month day-of-week), in UTC; or @every 10m.")
        String cron;

        @ArgGroup(exclusive = true, multiplicity = "1", heading = "Targets (exactly one):%n")
        Targets targets;

        @Option(names = "--batch", paramLabel = "N|P%", description = "Runs in flight at once.")
        String batch;

        @Option(names = "--max-failures", paramLabel = "N|P%", description = "Failure threshold.")
        String maxFailures;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Each run's command timeout.")
        Long timeoutSeconds;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command and its arguments.")
        List<String> command;

        @Override
        public Integer call() {
            Api api = connection.api();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("targets", targets.toJson(api));
            job.put("command", command.get(0));
            job.put("args", command.subList(1, command.size()));
            if (timeoutSeconds != null) {
                job.put("timeoutSeconds", timeoutSeconds);
            }
            if (batch != null) {
                job.put("concurrency", Format.countOrShare(batch));
            }
            if (maxFailures != null) {
                job.put("maxFailures", Format.countOrShare(maxFailures));
            }
            JsonNode created = api.post("/api/v1/schedules", Map.of("name", name, "cron", cron, "job", job));
            spec.commandLine().getOut().println(json ? Output.pretty(created)
                    : "Created schedule " + created.path("id").asText() + " (" + created.path("cron").asText() + ")");
            return CliExit.OK;
        }
    }
}
