package io.mamos.agent.simulate;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Measures the floor: start a {@link FloorWorkflow} with the SDK and wait for its result,
 * sequentially, {@code runs} times after a warm-up. The workflow worker (standing in for the
 * orchestrator) and the activity worker (standing in for an agent) poll separate queues, as in
 * MAMOS; both live in this process and use the SDK's default worker options.
 */
final class FloorBenchmark {

    private FloorBenchmark() {
    }

    static Map<String, Object> run(String temporalTarget, String namespace, int runs, int warmup) {
        WorkflowServiceStubs service = WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).build(), Duration.ofSeconds(15));
        WorkflowClient client = WorkflowClient.newInstance(service,
                WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
        String id = UUID.randomUUID().toString();
        String workflowQueue = "mamos-floor-workflows-" + id;
        String agentQueue = "mamos-floor-agent-" + id;
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker workflows = factory.newWorker(workflowQueue);
        workflows.registerWorkflowImplementationTypes(FloorWorkflowImpl.class);
        // SDK defaults, like the real agent's worker: the floor is the best plain Temporal does.
        Worker agent = factory.newWorker(agentQueue);
        agent.registerActivitiesImplementations(new FloorActivitiesImpl());
        factory.start();
        try {
            double[] millis = new double[runs];
            for (int i = -warmup; i < runs; i++) {
                FloorWorkflow workflow = client.newWorkflowStub(FloorWorkflow.class, WorkflowOptions.newBuilder()
                        .setTaskQueue(workflowQueue)
                        .setWorkflowId("floor-" + id + "-" + (i + warmup))
                        .build());
                long started = System.nanoTime();
                workflow.run(agentQueue, "true");
                double elapsed = (System.nanoTime() - started) / 1e6;
                if (i >= 0) {
                    millis[i] = elapsed;
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("measured", "SDK start + await result of a 1-activity workflow, sequential");
            result.put("warmup_runs", warmup);
            result.putAll(Percentiles.summary(millis));
            return result;
        } finally {
            factory.shutdownNow();
            factory.awaitTermination(5, TimeUnit.SECONDS);
            service.shutdownNow();
        }
    }
}
