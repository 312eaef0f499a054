package io.mamos.orchestrator.e2e;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Someone with access to Temporal but not the orchestrator: a raw client and a worker of its
 * own, running a workflow of its own that puts one {@code RunCommand} (or {@code AwaitCommand})
 * task, by activity type name, on any queue it likes, under any free workflow id. It can also read
 * any workflow's history.
 */
final class TemporalForger implements AutoCloseable {

    private final WorkflowServiceStubs service;
    private final WorkflowClient client;
    private final WorkerFactory workers;
    private final String queue = "forger-" + UUID.randomUUID();

    TemporalForger(String temporalTarget) {
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporalTarget).build());
        client = WorkflowClient.newInstance(service);
        workers = WorkerFactory.newInstance(client);
        workers.newWorker(queue).registerWorkflowImplementationTypes(DeliveryImpl.class, QuestionImpl.class);
        workers.start();
    }

    /** The forger's raw client: it holds no MAMOS credential, only network access to Temporal. */
    WorkflowClient client() {
        return client;
    }

    /**
     * Puts {@code invocation} on {@code agentQueue} and waits for the task's end: {@code "RAN: ..."}
     * if the agent ran it, else the failure's type and message, e.g. {@code "CommandRefused: ..."}.
     */
    String deliver(String agentQueue, CommandInvocation invocation) {
        Delivery delivery = client.newWorkflowStub(Delivery.class, WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId("forged-" + UUID.randomUUID())
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                .build());
        return delivery.deliver(agentQueue, invocation);
    }

    /**
     * Asks {@code agentQueue} for attempt {@code attempt}'s result from a workflow of the forger's
     * own started under {@code workflowId} (free again once the job's workflow ended), and waits for
     * the answer: {@code "ANSWERED: <exit code> <stdout>"}, or the failure's type and message.
     */
    String ask(String agentQueue, String workflowId, int attempt, AwaitTicket ticket) {
        Question question = client.newWorkflowStub(Question.class, WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId(workflowId)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                .build());
        return question.ask(agentQueue, attempt, ticket);
    }

    /** The run id of the latest run of {@code workflowId}. */
    String runId(String workflowId) {
        return client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
    }

    /** The first {@code RunCommand} input scheduled by {@code workflowId}, exactly as it is in the history. */
    CommandInvocation capturedInvocation(String workflowId) {
        for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
            if (event.hasActivityTaskScheduledEventAttributes()
                    && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("RunCommand")) {
                return GlobalDataConverter.get().fromPayloads(0,
                        Optional.of(event.getActivityTaskScheduledEventAttributes().getInput()),
                        CommandInvocation.class, CommandInvocation.class);
            }
        }
        throw new AssertionError("no RunCommand task in the history of " + workflowId);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        workers.awaitTermination(5, TimeUnit.SECONDS);
        service.shutdownNow();
    }

    /** One task on the agent's queue, never retried. */
    static ActivityStub agentStub(String agentQueue) {
        return Workflow.newUntypedActivityStub(ActivityOptions.newBuilder()
                .setTaskQueue(agentQueue)
                .setScheduleToStartTimeout(Duration.ofSeconds(30))
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @WorkflowInterface
    public interface Delivery {
        @WorkflowMethod
        String deliver(String agentQueue, CommandInvocation invocation);
    }

    public static class DeliveryImpl implements Delivery {
        @Override
        public String deliver(String agentQueue, CommandInvocation invocation) {
            ActivityStub agent = agentStub(agentQueue);
            try {
                CommandResult result = agent.execute("RunCommand", CommandResult.class, invocation);
                return "RAN: exit code " + result.exitCode();
            } catch (ActivityFailure failure) {
                if (failure.getCause() instanceof ApplicationFailure app) {
                    return app.getType() + ": " + app.getOriginalMessage();
                }
                return "FAILED: " + failure.getCause();
            }
        }
    }

    @WorkflowInterface
    public interface Question {
        @WorkflowMethod
        String ask(String agentQueue, int attempt, AwaitTicket ticket);
    }

    public static class QuestionImpl implements Question {
        @Override
        public String ask(String agentQueue, int attempt, AwaitTicket ticket) {
            ActivityStub agent = agentStub(agentQueue);
            try {
                CommandResult result = agent.execute("AwaitCommand", CommandResult.class,
                        Workflow.getInfo().getWorkflowId(), attempt, ticket);
                return "ANSWERED: " + result.exitCode() + " " + result.stdout();
            } catch (ActivityFailure failure) {
                if (failure.getCause() instanceof ApplicationFailure app) {
                    return app.getType() + ": " + app.getOriginalMessage();
                }
                return "FAILED: " + failure.getCause();
            }
        }
    }
}
