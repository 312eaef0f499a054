package io.mamos.orchestrator.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The Temporal CLI ({@code MAMOS_TEMPORAL_BIN}) pointed at one server's frontend and its
 * {@code default} namespace: what the tests ask a Temporal server, be it the dev server or the
 * project's cluster. Its stderr goes to {@code temporal-cli.log} in the test's folder.
 */
final class TemporalCli {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path binary;
    private final Path dir;
    private final String target;

    TemporalCli(Path binary, Path dir, String target) {
        this.binary = binary;
        this.dir = dir;
        this.target = target;
    }

    /** Ids of every workflow execution this server knows (open and closed). */
    List<String> workflowIds() {
        return ids(json("workflow", "list", "--limit", "10000"));
    }

    /** Ids of the workflow executions that match a visibility list query. */
    List<String> workflowIds(String query) {
        return ids(json("workflow", "list", "--limit", "10000", "--query", query));
    }

    /** The task queue of each activity {@code workflowId}'s latest run scheduled, in order. */
    List<String> scheduledActivityQueues(String workflowId) {
        JsonNode events = json("workflow", "show", "--workflow-id", workflowId).path("events");
        List<String> queues = new ArrayList<>();
        events.forEach(event -> {
            JsonNode scheduled = event.path("activityTaskScheduledEventAttributes");
            if (!scheduled.isMissingNode()) {
                queues.add(scheduled.path("taskQueue").path("name").asString());
            }
        });
        return queues;
    }

    /** True once a worker polls {@code taskQueue} for activity tasks. */
    boolean hasActivityPoller(String taskQueue) {
        JsonNode pollers = json("task-queue", "describe", "--task-queue", taskQueue,
                "--task-queue-type", "activity").path("pollers");
        return pollers.isArray() && !pollers.isEmpty();
    }

    /** Whether {@code temporal ARGS} exits 0. */
    boolean succeeds(String... args) {
        return run(args).exitCode() == 0;
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.forEach(execution -> ids.add(execution.path("execution").path("workflowId").asString()));
        return ids;
    }

    private JsonNode json(String... args) {
        String[] withOutput = Arrays.copyOf(args, args.length + 2);
        withOutput[args.length] = "--output";
        withOutput[args.length + 1] = "json";
        LoggedProcess.Output result = run(withOutput);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("temporal " + String.join(" ", args) + " exited " + result.exitCode()
                    + "; see " + dir.resolve("temporal-cli.log"));
        }
        return Json.read(result.stdout());
    }

    private LoggedProcess.Output run(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--address", target, "--namespace", "default"));
        return LoggedProcess.capture(command, Map.of(), dir, dir.resolve("temporal-cli.log"), TIMEOUT);
    }
}
