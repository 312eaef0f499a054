package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.Activity;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The liveness workflow on the test server, with a scripted agent on the agent's own queue. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AgentLivenessWorkflowTest {

    private static final String AGENT_ID = "agent-1";

    private final List<String> transitions = new CopyOnWriteArrayList<>();
    /** The agent's liveness activities as they ran: {@code checkIn@<queue>} or {@code session@<queue>}. */
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** Store writes that fail (as an unwritable SQLite file) before the store answers again. */
    private final AtomicInteger storeFailuresLeft = new AtomicInteger();
    private TestWorkflowEnvironment env;

    @AfterEach
    void close() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void agentThatChecksInIsRecordedOnline() throws Exception {
        start(session -> snapshot(), true);
        AgentLivenessWorkflow workflow = startWorkflow(params(1, 1, 1000));

        awaitTransitions(1);

        assertThat(transitions.get(0)).isEqualTo("online");
        assertThat(workflow.online()).isTrue();
    }

    @Test
    void presenceWritesThatFailAreRetriedUntilTheStoreAnswers() throws Exception {
        storeFailuresLeft.set(3);
        start(session -> snapshot(), true);
        AgentLivenessWorkflow workflow = startWorkflow(params(1, 1, 1000));

        awaitTransitions(1);

        assertThat(transitions.get(0)).isEqualTo("online");
        assertThat(storeFailuresLeft).hasValue(0);
        assertThat(workflow.online()).isTrue();
    }

    @Test
    void agentsHeartbeatEveryIntervalAndAHalfAndSilenceIsNoticedWithinThree() throws Exception {
        List<LivenessSession> sessions = new CopyOnWriteArrayList<>();
        start(session -> {
            sessions.add(session);
            return snapshot();
        }, true);
        startWorkflow(params(5, 3600, 1000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (sessions.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        assertThat(sessions).isNotEmpty().allSatisfy(s -> assertThat(s.heartbeatMillis()).isEqualTo(7_500));
        assertThat(AgentLivenessWorkflowImpl.sessionOptions(params(5, 3600, 50), true).getHeartbeatTimeout())
                .isEqualTo(Duration.ofMillis(12_500));
    }

    @Test
    void agentThatStopsHeartbeatingIsRecordedOfflineThenOnlineWhenItAnswersAgain() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        start(session -> {
            if (sessions.incrementAndGet() == 1) {
                // The first session goes silent, as a killed agent would.
                sleep(Duration.ofSeconds(5));
            }
            return snapshot();
        }, true);
        startWorkflow(params(1, 3600, 1000));

        awaitTransitions(3);

        assertThat(List.copyOf(transitions).subList(0, 3)).containsExactly("online", "offline", "online");
    }

    @Test
    void historyStaysBoundedOverManySessionsByContinuingAsNew() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        start(session -> {
            sessions.incrementAndGet();
            return snapshot();
        }, true);
        int perRun = 20;
        startWorkflow(params(1, 3600, perRun));

        // Each session stands for an hour of liveness: 200 sessions are 200 simulated hours.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sessions.get() < 10 * perRun && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }

        assertThat(sessions.get()).isGreaterThanOrEqualTo(10 * perRun);
        var history = env.getWorkflowClient().fetchHistory(TaskQueues.agentWorkflowId(AGENT_ID)).getEvents();
        // A run holds at most perRun sessions of a fixed number of events each, whatever the total.
        assertThat(history.size()).isLessThan(perRun * 16 + 10);
        var firstRun = env.getWorkflowClient().getWorkflowServiceStubs().blockingStub()
                .listClosedWorkflowExecutions(io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest
                        .newBuilder().setNamespace(env.getNamespace()).build())
                .getExecutionsList();
        assertThat(firstRun).isNotEmpty().allSatisfy(run ->
                assertThat(run.getStatus()).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW));
    }

    @Test
    void agentThatIsAwayAddsNoHistoryWhileItIsAway() throws Exception {
        // No agent worker polls: the check-in just waits in the queue. (The test server does not
        // skip time while an activity is outstanding, so this waits a few real intervals.)
        start(session -> snapshot(), false);
        startWorkflow(params(1, 3600, 50));
        Thread.sleep(4000);

        List<HistoryEvent> history = env.getWorkflowClient()
                .fetchHistory(TaskQueues.agentWorkflowId(AGENT_ID)).getEvents();

        assertThat(history).hasSizeLessThan(10);
        assertThat(history).filteredOn(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .hasSize(1);
        assertThat(transitions).isEmpty();
    }

    @Test
    void livenessMovesToTheLivenessQueueOnceTheAgentSaysItPollsIt() throws Exception {
        start(session -> snapshot(), true, true, true);
        startWorkflow(params(1, 1, 1000));

        awaitCalls(6);

        // Started by the orchestrator on the command queue, which every agent polls; from the
        // first check-in on, where the agent says it takes its liveness.
        assertThat(calls.get(0)).isEqualTo("checkIn@" + TaskQueues.forAgent(AGENT_ID));
        assertThat(List.copyOf(calls).subList(1, 6)).allSatisfy(call ->
                assertThat(call).endsWith("@" + TaskQueues.livenessForAgent(AGENT_ID)));
    }

    @Test
    void anAgentOlderThanTheLivenessQueueKeepsItsLivenessOnItsCommandQueue() throws Exception {
        start(session -> snapshot(), true, false, false);
        startWorkflow(params(1, 1, 1000));

        awaitCalls(6);

        assertThat(List.copyOf(calls).subList(0, 6)).allSatisfy(call ->
                assertThat(call).endsWith("@" + TaskQueues.forAgent(AGENT_ID)));
        assertThat(transitions).containsExactly("online");
    }

    @Test
    void anAgentWhoseCommandQueueIsNeverAnsweredComesBackOnlineThroughItsLivenessQueue() throws Exception {
        // Its command queue unanswered, as behind a backlog of commands: the agent goes silent,
        // then checks in again on its liveness queue alone.
        AtomicInteger sessions = new AtomicInteger();
        start(session -> {
            if (sessions.incrementAndGet() == 1) {
                sleep(Duration.ofSeconds(5));
            }
            return snapshot();
        }, false, true, true);
        startWorkflow(withLivenessQueue(params(1, 3600, 1000)));

        awaitTransitions(3);

        assertThat(List.copyOf(transitions).subList(0, 3)).containsExactly("online", "offline", "online");
        assertThat(calls).allSatisfy(call -> assertThat(call).endsWith("@" + TaskQueues.livenessForAgent(AGENT_ID)));
    }

    @Test
    void anAgentThatStopsPollingItsLivenessQueueIsAskedOnItsCommandQueueAgain() throws Exception {
        // Downgraded to a version without a liveness queue: it polls its command queue only.
        start(session -> snapshot(), true, false, false);
        LivenessParams params = withLivenessQueue(params(1, 3, 1000));
        startWorkflow(params);

        awaitTransitions(1);

        // Its check-in waited a session's length on the liveness queue, then went to the command queue.
        assertThat(AgentLivenessWorkflowImpl.livenessQueueCheckInWait(params)).isEqualTo(Duration.ofSeconds(3));
        assertThat(transitions).containsExactly("online");
        assertThat(calls).isNotEmpty().allSatisfy(call ->
                assertThat(call).endsWith("@" + TaskQueues.forAgent(AGENT_ID)));
        var scheduled = env.getWorkflowClient().fetchHistory(TaskQueues.agentWorkflowId(AGENT_ID)).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .map(e -> e.getActivityTaskScheduledEventAttributes().getTaskQueue().getName())
                .toList();
        assertThat(scheduled.subList(0, 2)).containsExactly(TaskQueues.livenessForAgent(AGENT_ID),
                TaskQueues.forAgent(AGENT_ID));
        assertThat(AgentLivenessWorkflowImpl.livenessQueueCheckInWait(params(1, 3600, 50)))
                .isEqualTo(AgentLivenessWorkflowImpl.LIVENESS_QUEUE_CHECK_IN_WAIT_MAX);
    }

    @Test
    void cancellingTheWorkflowEndsItsSession() throws Exception {
        start(session -> {
            while (true) {
                Activity.getExecutionContext().heartbeat(snapshot());
                sleep(Duration.ofMillis(100));
            }
        }, true);
        startWorkflow(params(1, 3600, 50));
        awaitTransitions(1);

        WorkflowStub.fromTyped(env.getWorkflowClient().newWorkflowStub(AgentLivenessWorkflow.class,
                TaskQueues.agentWorkflowId(AGENT_ID))).cancel();

        var describe = env.getWorkflowClient().newUntypedWorkflowStub(TaskQueues.agentWorkflowId(AGENT_ID));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        WorkflowExecutionStatus status = null;
        while (System.nanoTime() < deadline) {
            status = env.getWorkflowClient().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(env.getNamespace()).setExecution(describe.getExecution()).build())
                    .getWorkflowExecutionInfo().getStatus();
            if (status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(status).isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }

    /** An agent of this version: it polls both its queues and says so in its snapshots. */
    private void start(Function<LivenessSession, SystemSnapshot> session, boolean agentPolls) {
        start(session, agentPolls, agentPolls, true);
    }

    /**
     * @param commandQueue  whether the agent polls its command queue
     * @param livenessQueue whether it polls its liveness queue
     * @param saysLiveness  what its check-ins say ({@link SystemSnapshot#livenessQueue})
     */
    private void start(Function<LivenessSession, SystemSnapshot> session, boolean commandQueue,
            boolean livenessQueue, boolean saysLiveness) {
        env = TestWorkflowEnvironment.newInstance();
        Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(AgentLivenessWorkflowImpl.class);
        orchestrator.registerActivitiesImplementations(new AgentStoreActivities() {
            @Override
            public void agentOnline(String agentId, SystemSnapshot snapshot, long atMillis) {
                if (storeFailuresLeft.getAndUpdate(left -> Math.max(left - 1, 0)) > 0) {
                    throw new IllegalStateException("[SQLITE_IOERR_WRITE] disk I/O error");
                }
                if (transitions.isEmpty() || !transitions.get(transitions.size() - 1).equals("online")) {
                    transitions.add("online");
                }
            }

            @Override
            public void agentOffline(String agentId, long atMillis, String reason) {
                transitions.add("offline");
            }
        });
        LivenessActivities agent = new LivenessActivities() {
            @Override
            public SystemSnapshot checkIn(String agentId) {
                calls.add("checkIn@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
                return snapshot(saysLiveness);
            }

            @Override
            public SystemSnapshot reportLiveness(LivenessSession s) {
                calls.add("session@" + Activity.getExecutionContext().getInfo().getActivityTaskQueue());
                SystemSnapshot last = session.apply(s);
                return last == null ? null : snapshot(saysLiveness);
            }
        };
        if (commandQueue) {
            agentWorker(TaskQueues.forAgent(AGENT_ID)).registerActivitiesImplementations(agent);
        }
        if (livenessQueue) {
            agentWorker(TaskQueues.livenessForAgent(AGENT_ID)).registerActivitiesImplementations(agent);
        }
        env.start();
    }

    private Worker agentWorker(String queue) {
        return env.newWorker(queue, WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build());
    }

    private AgentLivenessWorkflow startWorkflow(LivenessParams params) {
        AgentLivenessWorkflow workflow = env.getWorkflowClient().newWorkflowStub(AgentLivenessWorkflow.class,
                WorkflowOptions.newBuilder()
                        .setWorkflowId(TaskQueues.agentWorkflowId(AGENT_ID))
                        .setTaskQueue(TaskQueues.ORCHESTRATOR)
                        .build());
        WorkflowClient.start(workflow::run, params);
        return workflow;
    }

    private void awaitTransitions(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (transitions.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(transitions).hasSizeGreaterThanOrEqualTo(count);
    }

    private void awaitCalls(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (calls.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(calls).hasSizeGreaterThanOrEqualTo(count);
    }

    /** As continued from a run that had moved to the liveness queue. */
    private static LivenessParams withLivenessQueue(LivenessParams params) {
        return params.carriedOver(params.online(), true);
    }

    private static LivenessParams params(long intervalSeconds, long sessionSeconds, int sessionsPerRun) {
        return new LivenessParams(AGENT_ID, intervalSeconds, sessionSeconds, sessionsPerRun, false, false);
    }

    /** From an agent that polls its liveness queue, as every agent of this version does. */
    private static SystemSnapshot snapshot() {
        return snapshot(true);
    }

    private static SystemSnapshot snapshot(boolean livenessQueue) {
        return new SystemSnapshot("host", "Linux", "6", "cpu", 2, 0.1, 0.5, 1, 2,
                List.of(new DiskUsage("/", "ext4", 1, 2)), 10, "test", 0, null, System.currentTimeMillis(),
                livenessQueue);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
