package io.mamos.agent.simulate;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Deterministic: schedules the one activity on the queue it is given and returns its result. */
public final class FloorWorkflowImpl implements FloorWorkflow {

    @Override
    public String run(String agentQueue, String message) {
        FloorActivities agent = Workflow.newActivityStub(FloorActivities.class, ActivityOptions.newBuilder()
                .setTaskQueue(agentQueue)
                .setScheduleToStartTimeout(Duration.ofSeconds(30))
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                // A lost run must show as a failure, not as a retried (slower) success.
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
        return agent.echo(message);
    }
}
