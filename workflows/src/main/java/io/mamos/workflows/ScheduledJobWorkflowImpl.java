package io.mamos.workflows;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class ScheduledJobWorkflowImpl implements ScheduledJobWorkflow {

    private final ScheduleActivities schedules = Workflow.newLocalActivityStub(ScheduleActivities.class,
            LocalActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofMillis(500))
                            .setMaximumInterval(Duration.ofSeconds(30))
                            .setMaximumAttempts(10)
                            .build())
                    .build());

    @Override
    public JobOutcome fire(String scheduleId) {
        JobRequest request = schedules.createJob(scheduleId, Workflow.getInfo().getWorkflowId(),
                Workflow.currentTimeMillis());
        if (request == null) {
            return null;
        }
        return new JobWorkflowImpl().execute(request);
    }
}
