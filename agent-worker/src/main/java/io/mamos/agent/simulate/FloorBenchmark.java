package io.mamos.agent.simulate;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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

    private static WorkflowClient connect(String temporalTarget, String namespace) {
        WorkflowServiceStubs service = WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(temporalTarget).build(), Duration.ofSeconds(15));
        return WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    }

    private static void close(WorkerFactory factory, WorkflowClient client) {
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
        client.getWorkflowServiceStubs().shutdownNow();
    }

    static Map<String, Object> run(String temporalTarget, String namespace, int runs, int warmup) {
        WorkflowClient client = connect(temporalTarget, namespace);
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
            close(factory, client);
        }
    }

    /**
     * The fan-out floor: {@code runs} times (after {@code warmup} unmeasured ones), one
     * {@link FloorFanOutWorkflow} to {@code agents} queues, each polled by a worker of its own with
     * the simulated agents' options (one poller, three slots), all in this process; the time from
     * the start to the result.
     */
    static Map<String, Object> fanOut(String temporalTarget, String namespace, int agents, int runs, int warmup) {
        WorkflowClient client = connect(temporalTarget, namespace);
        String id = UUID.randomUUID().toString();
        String workflowQueue = "mamos-floor-workflows-" + id;
        WorkerFactory factory = WorkerFactory.newInstance(client);
        factory.newWorker(workflowQueue).registerWorkflowImplementationTypes(FloorFanOutWorkflowImpl.class);
        List<String> queues = new ArrayList<>(agents);
        FloorActivitiesImpl answer = new FloorActivitiesImpl();
        for (int i = 0; i < agents; i++) {
            String queue = "mamos-floor-agent-" + id + "-" + i;
            queues.add(queue);
            factory.newWorker(queue, WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(3)
                    .setMaxConcurrentActivityTaskPollers(1)
                    .build()).registerActivitiesImplementations(answer);
        }
        factory.start();
        try {
            double[] seconds = new double[runs];
            for (int i = -warmup; i < runs; i++) {
                FloorFanOutWorkflow workflow = client.newWorkflowStub(FloorFanOutWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(workflowQueue)
                                .setWorkflowId("floor-fan-out-" + id + "-" + (i + warmup))
                                .build());
                long started = System.nanoTime();
                int answered = workflow.run(queues, "fan-out");
                double elapsed = (System.nanoTime() - started) / 1e9;
                if (answered != agents) {
                    throw new IllegalStateException(answered + " of " + agents + " floor activities answered");
                }
                if (i >= 0) {
                    seconds[i] = elapsed;
                }
            }
            Arrays.sort(seconds);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("measured", "SDK start + await result of one workflow scheduling one activity on each of "
                    + agents + " queues (a worker each: 1 poller, 3 slots; an activity whose answer was lost is"
                    + " retried after 10 s), sequential runs");
            result.put("agents", agents);
            result.put("warmup_runs", warmup);
            result.put("runs", runs);
            result.put("median_s", Math.round(seconds[runs / 2] * 100) / 100.0);
            result.put("min_s", Math.round(seconds[0] * 100) / 100.0);
            result.put("max_s", Math.round(seconds[runs - 1] * 100) / 100.0);
            // Answers Temporal lost (delivered to a poll that was gone, so retried after the
            // start-to-close timeout): MAMOS pays for the same losses, so the floor includes them.
            result.put("activity_retries", answer.retries());
            return result;
        } finally {
            close(factory, client);
        }
    }
}
