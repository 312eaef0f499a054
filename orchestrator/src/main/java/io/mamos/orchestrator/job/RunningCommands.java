package io.mamos.orchestrator.job;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.CommandProgress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reads a dispatched job's command activity from Temporal: whether an agent has started it,
 * and the progress it last heartbeated. Used on read so a running job shows its partial output.
 */
@Component
class RunningCommands {

    private static final Logger log = LoggerFactory.getLogger(RunningCommands.class);

    private final WorkflowClient client;
    private final MamosProperties properties;

    RunningCommands(WorkflowClient client, MamosProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    /**
     * The started command activity of the run {@code runId} of {@code workflowId}: the run the store
     * planned, never whichever run holds that id now (someone may have started another under it).
     * Nothing while the planned run is not known yet.
     */
    Optional<Snapshot> snapshot(String workflowId, String runId) {
        if (runId == null) {
            return Optional.empty();
        }
        WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
        if (!PlannedRuns.BIND_ON_FIRST_CALL.equals(runId)) {
            execution.setRunId(runId);
        }
        try {
            var response = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setExecution(execution)
                            .build());
            return response.getPendingActivitiesList().stream()
                    .filter(activity -> activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED)
                    .findFirst()
                    .map(activity -> {
                        Instant started = Instant.ofEpochSecond(activity.getLastStartedTime().getSeconds(),
                                activity.getLastStartedTime().getNanos());
                        CommandProgress progress = activity.hasHeartbeatDetails()
                                ? DataConverter.getDefaultInstance().fromPayloads(0,
                                        Optional.of(activity.getHeartbeatDetails()), CommandProgress.class,
                                        CommandProgress.class)
                                : null;
                        return new Snapshot(started, progress);
                    });
        } catch (RuntimeException e) {
            // Progress is best effort: the stored state stays authoritative.
            log.debug("cannot describe workflow {}: {}", workflowId, e.toString());
            return Optional.empty();
        }
    }

    record Snapshot(Instant startedAt, CommandProgress progress) {
    }
}
