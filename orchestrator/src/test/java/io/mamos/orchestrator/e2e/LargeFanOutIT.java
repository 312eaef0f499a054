package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandResult;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobStoreActivities;
import io.mamos.workflows.JobWorkflow;
import io.mamos.workflows.JobWorkflowImpl;
import io.mamos.workflows.RunOutcome;
import io.mamos.workflows.RunTarget;
import io.mamos.workflows.RunWorkflowImpl;
import io.mamos.workflows.TaskQueues;
import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A job to 2,500 targets on the real Temporal dev server, which (unlike the time-skipping test
 * server) enforces its limits: at most 2,000 pending children per workflow, history length and
 * size, payload size. The job and run workflows are the product's; the store and the agents are
 * stand-ins (every target's command answered at once on one shared queue), so what is measured is
 * the workflows against Temporal, not 2,500 enrolled agents.
 */
class LargeFanOutIT {

    private static final int TARGETS = 2_500;
    private static final String FLEET_QUEUE = "large-fan-out-fleet";
    private static final CommandSpec ECHO = new CommandSpec("echo", "/usr/bin/echo", List.of("hello"));

    private static TemporalDevServer temporal;
    private static WorkflowServiceStubs service;
    private static WorkerFactory workers;
    private static WorkflowClient client;
    private static final CountingStore store = new CountingStore();
    private static final CountingFleet fleet = new CountingFleet();

    @BeforeAll
    static void startTemporalAndWorkers() throws Exception {
        Path dir = Path.of("target", "e2e").toAbsolutePath();
        Files.createDirectories(dir);
        temporal = TemporalDevServer.start(Files.createTempDirectory(dir, "large-fan-out-"));
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporal.target()).build());
        client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
        workers = WorkerFactory.newInstance(client);
        var orchestrator = workers.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(JobWorkflowImpl.class, RunWorkflowImpl.class);
        orchestrator.registerActivitiesImplementations(store);
        workers.newWorker(FLEET_QUEUE, WorkerOptions.newBuilder().setMaxConcurrentActivityTaskPollers(4).build())
                .registerActivitiesImplementations(fleet);
        workers.start();
    }

    @AfterAll
    static void stop() {
        if (workers != null) {
            workers.shutdownNow();
        }
        if (service != null) {
            service.shutdownNow();
        }
        if (temporal != null) {
            temporal.stop();
        }
    }

    @Test
    void jobToMoreTargetsThanTemporalsPendingChildLimitRunsEveryTargetOnce() {
        String jobId = "large-" + TARGETS;
        List<RunTarget> targets = IntStream.range(0, TARGETS)
                .mapToObj(i -> new RunTarget("agent-" + i, FLEET_QUEUE)).toList();
        JobWorkflow job = client.newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.jobWorkflowId(jobId))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(10))
                .build());

        long started = System.nanoTime();
        JobOutcome outcome = job.run(new JobRequest(jobId, targets, ECHO, 30, 60, 10, 65_536, 0, 0, 0, null));
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        var history = client.fetchHistory(TaskQueues.jobWorkflowId(jobId));
        var events = history.getEvents();
        long childStartsRefused = events.stream()
                .filter(event -> event.getEventType() == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED)
                .count();
        System.err.printf("[e2e] one job to %,d targets on the dev server: %s in %d s (%.0f runs/s), "
                        + "job history %,d events, %,d bytes; load average %s%n",
                TARGETS, outcome.state(), seconds, TARGETS / Math.max(seconds, 1.0), events.size(),
                history.getHistory().getSerializedSize(), loadAverage());
        assertThat(outcome.state()).as("outcome %s", outcome).isEqualTo(JobState.SUCCEEDED);
        assertThat(childStartsRefused).as("child starts Temporal refused").isZero();
        assertThat(store.finished).hasSize(TARGETS);
        assertThat(store.finished.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        assertThat(store.finished.keySet()).allSatisfy(agent -> assertThat(agent).startsWith("agent-"));
        assertThat(fleet.executions).hasSize(TARGETS);
        assertThat(fleet.executions.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
        // Temporal warns at 10,240 events and terminates a workflow at 51,200.
        assertThat(events.size()).isLessThan(10_240);
    }

    private static String loadAverage() {
        try {
            return String.join(" ", List.of(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The store's side of the job: signs with a stand-in signature and counts each run's end. */
    static final class CountingStore implements JobStoreActivities {

        final Map<String, AtomicInteger> finished = new ConcurrentHashMap<>();

        @Override
        public void runDispatched(String jobId, String agentId, int attempt, long atMillis) {
        }

        @Override
        public void runFinished(RunOutcome outcome) {
            finished.computeIfAbsent(outcome.agentId(), agent -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void runsNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis) {
            throw new AssertionError("runs not started: " + agentIds.size() + " (" + reason + ")");
        }

        @Override
        public void jobFinished(JobOutcome outcome) {
        }

        @Override
        public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
            long now = System.currentTimeMillis();
            return unsigned.signed(now, now + validForSeconds * 1_000, "nonce-" + unsigned.agentId(), "stand-in");
        }

        @Override
        public CommandInvocation resignForWaitingRun(CommandInvocation previous) {
            return null;
        }

        @Override
        public AwaitTicket awaitTicket(String jobId, String agentId, int attempt) {
            var info = Activity.getExecutionContext().getInfo();
            long now = System.currentTimeMillis();
            return new AwaitTicket(jobId, agentId, attempt, info.getWorkflowId(), info.getRunId(), now, now + 60_000,
                    "stand-in");
        }
    }

    /** Every target's agent: answers each command at once and counts it. */
    static final class CountingFleet implements CommandActivities {

        final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

        @Override
        public CommandResult runCommand(CommandInvocation invocation) {
            executions.computeIfAbsent(invocation.agentId(), agent -> new AtomicInteger()).incrementAndGet();
            long now = System.currentTimeMillis();
            return new CommandResult(0, "hello\n", "", false, false, now, now);
        }

        @Override
        public CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket) {
            throw new AssertionError("no command result was lost: " + workflowId);
        }
    }
}
