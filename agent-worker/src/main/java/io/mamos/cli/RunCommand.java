package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
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

@Command(name = "run", description = {
    "Run one whitelisted command on agents as one job, stream each agent's output, print a summary.",
    "Exits 0 when every run succeeded, 3 when any did not. Ctrl-C asks whether to cancel the job or detach",
    "(without a terminal: the first Ctrl-C cancels, a second detaches).",
    "Example: mamos run -l 'env=prod' --batch 20%% -- uptime",
})
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    Connection connection;

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "Targets (exactly one):%n")
    Targets targets;

    @Option(names = "--batch", paramLabel = "N|P%",
            description = "Runs in flight at once: a count (5) or a share of the targets (20%%); default all at once.")
    String batch;

    @Option(names = "--max-failures", paramLabel = "N|P%",
            description = "Start no further run once this many (or this share) did not succeed.")
    String maxFailures;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Each run's command timeout (default: the policy's, capped by the command's maximum).")
    Long timeoutSeconds;

    @Option(names = "--job-timeout", paramLabel = "SECONDS", description = "Limit on the whole job.")
    Long jobTimeoutSeconds;

    @Option(names = "--offline-wait", paramLabel = "SECONDS",
            description = "How long each run waits for an offline agent before giving up (AGENT_OFFLINE).")
    Long offlineWaitSeconds;

    @Option(names = "--group", description = "Print each host's output in one piece when its run ends.")
    boolean group;

    @Option(names = "--json", description = "Print the finished job and its runs as JSON (no streaming).")
    boolean json;

    @Option(names = "--detach", description = "Submit, print the job id and exit without following it.")
    boolean detach;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "The command and its arguments (see `mamos commands`); put -- before it.")
    List<String> command;

    @Override
    public Integer call() {
        Api api = connection.api();
        JsonNode job = api.post("/api/v1/jobs", submission(api));
        String jobId = job.path("id").asText();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (detach) {
            out.println(json ? Output.pretty(job) : jobId);
            return CliExit.OK;
        }
        if (!json) {
            err.println("job " + jobId + ": " + Format.command(job) + " on " + job.path("runCount").asInt()
                    + " agent(s)");
            err.flush();
        }
        Interrupts interrupts = Interrupts.install();
        return new JobFollower(api, out, err, json, group, System.console()).follow(jobId, interrupts);
    }

    Map<String, Object> submission(Api api) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("targets", targets.toJson(api));
        body.put("command", command.get(0));
        body.put("args", command.subList(1, command.size()));
        putIfSet(body, "timeoutSeconds", timeoutSeconds);
        putIfSet(body, "concurrency", Format.countOrShare(batch));
        putIfSet(body, "maxFailures", Format.countOrShare(maxFailures));
        putIfSet(body, "jobTimeoutSeconds", jobTimeoutSeconds);
        putIfSet(body, "offlineWaitSeconds", offlineWaitSeconds);
        return body;
    }

    private static void putIfSet(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
