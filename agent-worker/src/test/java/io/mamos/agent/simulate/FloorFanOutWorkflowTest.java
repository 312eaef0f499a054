package io.mamos.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fan-out floor's workflow: one answer from each queue it is given, all scheduled at once. */
class FloorFanOutWorkflowTest {

    private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

    @AfterEach
    void close() {
        env.close();
    }

    @Test
    void schedulesOneActivityOnEachQueueAndCountsTheAnswers() {
        List<String> queues = List.of("floor-a", "floor-b", "floor-c");
        Set<String> answeredOn = ConcurrentHashMap.newKeySet();
        for (String queue : queues) {
            env.newWorker(queue).registerActivitiesImplementations((FloorActivities) message -> {
                answeredOn.add(queue);
                return message;
            });
        }
        Worker workflows = env.newWorker("floor-workflows");
        workflows.registerWorkflowImplementationTypes(FloorFanOutWorkflowImpl.class);
        env.start();

        int answered = env.getWorkflowClient().newWorkflowStub(FloorFanOutWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue("floor-workflows").build()).run(queues, "fan-out");

        assertThat(answered).isEqualTo(3);
        assertThat(answeredOn).containsExactlyInAnyOrderElementsOf(queues);
    }
}
