package io.mamos.orchestrator.schedule;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.ScheduledJobWorkflow;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.workflowservice.v1.ListScheduleMatchingTimesRequest;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The next firing times of a cron, as Temporal computes them, so that no other part (the
 * dashboard's hint, say) re-implements the cron grammar. Temporal evaluates a spec only for a
 * schedule that exists ({@code ListScheduleMatchingTimes}), so a preview creates a paused
 * schedule {@code preview-<uuid>} that can never fire, asks, and deletes it at once. Nothing of
 * ours is written.
 */
@Component
class SchedulePreviews {

    /** Windows asked one after the other until enough firings are found: a sparse cron needs a long one. */
    private static final List<Duration> WINDOWS = List.of(Duration.ofHours(1), Duration.ofDays(1),
            Duration.ofDays(32), Duration.ofDays(367), Duration.ofDays(4 * 366));
    private static final Logger log = LoggerFactory.getLogger(SchedulePreviews.class);

    private final ScheduleClient client;
    private final WorkflowServiceStubs stubs;
    private final MamosProperties properties;

    SchedulePreviews(ScheduleClient client, WorkflowServiceStubs stubs, MamosProperties properties) {
        this.client = client;
        this.stubs = stubs;
        this.properties = properties;
    }

    /** The first {@code count} firings after now; a 400 quoting Temporal when it cannot read the cron. */
    List<Instant> nextFirings(String cron, int count) {
        ScheduleService.checkCron(cron);
        String id = "preview-" + UUID.randomUUID();
        Schedule paused = Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ScheduledJobWorkflow.class)
                        .setArguments(id)
                        .setOptions(WorkflowOptions.newBuilder().setWorkflowId(id)
                                .setTaskQueue(TaskQueues.ORCHESTRATOR).build())
                        .build())
                .setSpec(ScheduleService.spec(cron))
                .setState(ScheduleState.newBuilder().setPaused(true).setNote("cron preview; never fires").build())
                .build();
        try {
            client.createSchedule(id, paused, ScheduleOptions.newBuilder().build());
        } catch (RuntimeException e) {
            throw ScheduleService.refusal(e);
        }
        try {
            return matching(id, count);
        } finally {
            try {
                client.getHandle(id).delete();
            } catch (RuntimeException e) {
                log.warn("could not delete the preview schedule {}: {}", id, e.toString());
            }
        }
    }

    private List<Instant> matching(String id, int count) {
        Instant now = Instant.now();
        Timestamp start = Timestamps.fromMillis(now.toEpochMilli());
        List<Instant> found = new ArrayList<>();
        for (Duration window : WINDOWS) {
            found.clear();
            stubs.blockingStub().listScheduleMatchingTimes(ListScheduleMatchingTimesRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setScheduleId(id)
                            .setStartTime(start)
                            .setEndTime(Timestamps.fromMillis(now.plus(window).toEpochMilli()))
                            .build())
                    .getStartTimeList().stream().limit(count)
                    .forEach(time -> found.add(Instant.ofEpochSecond(time.getSeconds(), time.getNanos())));
            if (found.size() >= count) {
                break;
            }
        }
        return List.copyOf(found);
    }
}
