package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Today's workflow code replays every history recorded from earlier code
 * ({@code src/test/resources/histories/<type>/<path>@<commit>.json}, made by
 * {@link WorkflowHistoryRecorder} on a real Temporal dev server). A failure here means a change
 * would break workflows that are running when the orchestrator is upgraded: put the new
 * behaviour behind {@code Workflow.getVersion} (see docs/ARCHITECTURE.md, "Changing workflow code").
 */
class WorkflowReplayTest {

    /** The workflow types, by the folder their histories are kept in. */
    private static final Map<String, String> TYPES = Map.of(
            "job", "JobWorkflow",
            "run", "RunWorkflow",
            "schedule", "ScheduledJobWorkflow",
            "liveness", "AgentLivenessWorkflow");

    static Stream<Path> histories() throws IOException, URISyntaxException {
        Path root = Path.of(WorkflowReplayTest.class.getResource("/histories").toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted()
                    .map(root::relativize).toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void recordedHistoryReplaysOnTodaysCode(Path history) throws Exception {
        WorkflowExecutionHistory recorded = load(history);
        String folder = history.getName(0).toString();

        assertThat(recorded.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getWorkflowType()
                .getName()).as("workflow type of %s", history).isEqualTo(TYPES.get(folder));
        WorkflowReplayer.replayWorkflowExecution(recorded, JobWorkflowImpl.class, RunWorkflowImpl.class,
                ScheduledJobWorkflowImpl.class, AgentLivenessWorkflowImpl.class);
    }

    @Test
    void everyWorkflowTypeHasRecordedHistories() throws Exception {
        Map<String, List<Path>> byType = histories()
                .collect(Collectors.groupingBy(path -> path.getName(0).toString(), TreeMap::new, Collectors.toList()));

        assertThat(byType.keySet()).containsExactlyInAnyOrderElementsOf(TYPES.keySet());
    }

    private static WorkflowExecutionHistory load(Path history) throws IOException, URISyntaxException {
        Path root = Path.of(WorkflowReplayTest.class.getResource("/histories").toURI());
        return WorkflowExecutionHistory.fromJson(Files.readString(root.resolve(history)));
    }
}
