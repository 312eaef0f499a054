package io.mamos.agent.simulate;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Deterministic: one activity per queue, all scheduled in the first workflow task. */
public final class FloorFanOutWorkflowImpl implements FloorFanOutWorkflow {

    @Override
    public int run(List<String> agentQueues, String message) {
        List<Promise<String>> answers = new ArrayList<>(agentQueues.size());
        for (String queue : agentQueues) {
            FloorActivities agent = Workflow.newActivityStub(FloorActivities.class, ActivityOptions.newBuilder()
                    .setTaskQueue(queue)
                    .setScheduleToStartTimeout(Duration.ofSeconds(120))
                    // Under load Temporal can hand a task to a poll that is already gone; the answer
                    // never comes and the activity is retried (counted by the benchmark), as MAMOS
                    // asks an agent again after a lost completion.
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5)
                            .setInitialInterval(Duration.ofMillis(100)).build())
                    .build());
            answers.add(Async.function(agent::echo, message));
        }
        Promise.allOf(answers).get();
        return answers.size();
    }
}
