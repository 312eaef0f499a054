package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fan-out jobs against the in-memory Temporal test server: one {@link RunWorkflow} child per
 * target, each on the real per-agent queue of a scripted agent. Time is skipped while no activity
 * is outstanding (retry backoff); timeouts that elapse while a command runs pass in real time.
 */
class FanOutWorkflowTest {

    private static final String JOB_ID = "fan-1";
    private static final CommandSpec ECHO = new CommandSpec("echo", "/usr/bin/echo", List.of("hello"));
    private static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4", "a5");
    /** One queue shared by the 1,000 simulated agents of the history test. */
    private static final String FLEET_QUEUE = "fleet";

    private final RecordingJobStore store = new RecordingJobStore();
    private final Map<String, ScriptedAgent> agents = new ConcurrentHashMap<>();
    private final ScriptedAgent fleet = new ScriptedAgent();
    /** Agent ids in the order their commands started. */
    private final List<String> started = new CopyOnWriteArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Exception> runEnds = new CopyOnWriteArrayList<>();
    private TestWorkflowEnvironment env;

    @BeforeEach
    void startWorkers() {
        env = TestWorkflowEnvironment.newInstance();
        Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(JobWorkflowImpl.class, RunWorkflowImpl.class);
        orchestrator.registerActivitiesImplementations(store);
        WorkerOptions agentOptions = WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build();
        for (String id : AGENTS) {
            ScriptedAgent agent = new ScriptedAgent();
            agents.put(id, agent);
            env.newWorker(TaskQueues.forAgent(id), agentOptions).registerActivitiesImplementations(agent);
        }
        env.newWorker(FLEET_QUEUE).registerActivitiesImplementations(fleet);
        env.start();
    }

    @AfterEach
    void stopWorkers() {
        release.countDown();
        env.close();
    }

    @Test
    void everyTargetRunsOnceOnItsOwnQueueAndTheJobSucceeds() {
        everyAgentRuns(invocation -> ScriptedAgent.exited(0, "hi\n", ""));

        JobOutcome outcome = newJob().run(request(AGENTS.subList(0, 3), 0, 0));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcomes()).extracting(RunOutcome::agentId).containsExactlyInAnyOrder("a1", "a2", "a3");
        assertThat(store.runOutcomes()).allSatisfy(run -> assertThat(run.stdout()).isEqualTo("hi\n"));
        assertThat(agents.get("a1").invocations()).hasSize(1);
        assertThat(agents.get("a4").invocations()).isEmpty();
        assertThat(store.operations()).last().isEqualTo("jobFinished");
    }

    @Test
    void storeWritesOfRunsAndJobAreRetriedUntilTheStoreAnswers() {
        store.failEachWriteFirst(3);
        everyAgentRuns(invocation -> ScriptedAgent.exited(1, "", ""));

        JobOutcome outcome = newJob().run(request(AGENTS.subList(0, 3), 1, 1));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(store.runOutcomes()).extracting(RunOutcome::agentId).containsExactly("a1");
        assertThat(store.notStarted()).containsExactly("a2", "a3");
        assertThat(store.operations()).last().isEqualTo("jobFinished");
        assertThat(store.failedAttempts()).containsOnlyKeys("runDispatched", "runFinished", "runsNotStarted",
                "jobFinished");
    }

    @Test
    void concurrencyLimitKeepsAtMostThatManyRunsInFlight() {
        everyAgentRuns(countingRun(150));

        JobOutcome outcome = newJob().run(request(AGENTS, 2, 0));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(started).hasSize(5);
        assertThat(maxInFlight.get()).isEqualTo(2);
    }

    @Test
    void batchOfOneRunsTargetsOneAfterTheOtherInOrder() {
        everyAgentRuns(countingRun(20));

        newJob().run(request(AGENTS, 1, 0));

        assertThat(started).containsExactlyElementsOf(AGENTS);
        assertThat(maxInFlight.get()).isEqualTo(1);
    }

    @Test
    void failureThresholdStopsStartingFurtherRuns() {
        everyAgentRuns(invocation -> ScriptedAgent.exited(1, "", "broken\n"));

        JobOutcome outcome = newJob().run(request(AGENTS, 1, 2));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(outcome.error()).contains("5 of 5 runs did not succeed", "3 skipped", "maxFailures 2");
        assertThat(store.runOutcomes()).extracting(RunOutcome::agentId).containsExactly("a1", "a2");
        assertThat(store.notStarted()).containsExactly("a3", "a4", "a5");
        assertThat(agents.get("a3").invocations()).isEmpty();
        assertThat(store.writes()).filteredOn(write -> write.operation().equals("runNotStarted"))
                .allSatisfy(write -> assertThat(write.payload()).isEqualTo(JobState.SKIPPED));
    }

    @Test
    void cancelStopsEveryRunningCommandAndNeverStartsTheRest() throws Exception {
        CountDownLatch twoRunning = new CountDownLatch(2);
        everyAgentRuns(invocation -> {
            twoRunning.countDown();
            return heartbeatUntilTheRunEnds();
        });
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENTS.subList(0, 4), 2, 0));
        assertThat(twoRunning.await(10, TimeUnit.SECONDS)).isTrue();

        WorkflowStub.fromTyped(job).cancel();

        assertThatThrownBy(() -> WorkflowStub.fromTyped(job).getResult(10, TimeUnit.SECONDS, JobOutcome.class))
                .isInstanceOf(WorkflowFailedException.class);
        assertThat(runEnds).hasSize(2).allSatisfy(end -> assertThat(end).isInstanceOf(ActivityCanceledException.class));
        assertThat(store.runOutcomes()).hasSize(2)
                .allSatisfy(run -> assertThat(run.state()).isEqualTo(JobState.CANCELED));
        assertThat(store.notStarted()).containsExactly("a3", "a4");
        assertThat(agents.get("a3").invocations()).isEmpty();
        assertThat(agents.get("a4").invocations()).isEmpty();
        assertThat(store.finishedOutcome().state()).isEqualTo(JobState.CANCELED);
    }

    @Test
    void runOnAnOfflineAgentEndsAgentOfflineAfterTheWaitWhileOthersSucceed() {
        everyAgentRuns(invocation -> ScriptedAgent.exited(0, "", ""));
        List<RunTarget> targets = List.of(RunTarget.of("a1"), RunTarget.of("gone"));

        JobOutcome outcome = newJob().run(new JobRequest(JOB_ID, targets, ECHO, 30, 1, 10, 65_536, 0, 0, 0, null));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        Map<String, JobState> runs = store.runOutcomes().stream()
                .collect(Collectors.toMap(RunOutcome::agentId, RunOutcome::state));
        assertThat(runs).containsEntry("a1", JobState.SUCCEEDED).containsEntry("gone", JobState.AGENT_OFFLINE);
    }

    @Test
    void runLostToItsAgentIsRetriedAfterTheBackoffWhenTheJobAllowsIt() {
        AtomicInteger calls = new AtomicInteger();
        agents.get("a1").willRun(invocation -> {
            if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure("agent is shutting down",
                        CommandActivities.AGENT_SHUT_DOWN);
            }
            return ScriptedAgent.exited(0, "second time\n", "");
        });
        everyOtherAgentSucceeds("a1");

        JobOutcome outcome = newJob().run(new JobRequest(JOB_ID, List.of(RunTarget.of("a1"), RunTarget.of("a2")),
                ECHO, 30, 10, 10, 65_536, 0, 0, 0, new RetrySpec(3, 5)));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        RunOutcome a1 = store.runOutcomes().stream().filter(run -> run.agentId().equals("a1")).findFirst().orElseThrow();
        assertThat(a1.attempt()).isEqualTo(2);
        assertThat(a1.stdout()).isEqualTo("second time\n");
        List<RecordingJobStore.Write> dispatches = store.writes().stream()
                .filter(write -> write.operation().equals("runDispatched") && write.agentId().equals("a1")).toList();
        assertThat(dispatches).extracting(RecordingJobStore.Write::attempt).containsExactly(1, 2);
        assertThat(dispatches.get(1).atMillis() - dispatches.get(0).atMillis()).isGreaterThanOrEqualTo(5_000);
        // Each attempt carries its own signed invocation, addressed to the agent, numbered.
        assertThat(agents.get("a1").invocations()).extracting(CommandInvocation::attempt).containsExactly(1, 2);
        assertThat(agents.get("a1").invocations()).extracting(CommandInvocation::agentId).containsOnly("a1");
    }

    @Test
    void runThatFailsOnItsOwnIsNeverRetried() {
        everyAgentRuns(invocation -> ScriptedAgent.exited(2, "", ""));

        newJob().run(new JobRequest(JOB_ID, List.of(RunTarget.of("a1"), RunTarget.of("a2")), ECHO, 30, 10, 10,
                65_536, 0, 0, 0, new RetrySpec(3, 1)));

        assertThat(agents.get("a1").invocations()).hasSize(1);
        assertThat(store.runOutcomes()).allSatisfy(run -> assertThat(run.attempt()).isEqualTo(1));
    }

    @Test
    void jobTimeoutCancelsRunningRunsAndSkipsTheRest() {
        everyAgentRuns(invocation -> heartbeatUntilTheRunEnds());

        JobOutcome outcome = newJob().run(new JobRequest(JOB_ID,
                List.of(RunTarget.of("a1"), RunTarget.of("a2")), ECHO, 30, 10, 10, 65_536, 1, 0, 2, null));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(outcome.error()).contains("job timeout of 2s");
        assertThat(store.runOutcomes()).singleElement().satisfies(run -> {
            assertThat(run.agentId()).isEqualTo("a1");
            assertThat(run.state()).isEqualTo(JobState.CANCELED);
        });
        assertThat(store.notStarted()).containsExactly("a2");
    }

    @Test
    void thousandTargetFanOutStaysFarFromTemporalsHistoryLimits() {
        fleet.willRun(invocation -> ScriptedAgent.exited(0, "ok\n", ""));
        List<RunTarget> targets = IntStream.range(0, 1_000)
                .mapToObj(i -> new RunTarget("agent-" + i, FLEET_QUEUE)).toList();
        JobWorkflow job = newJob();

        JobOutcome outcome = job.run(new JobRequest(JOB_ID, targets, ECHO, 30, 60, 10, 65_536, 0, 0, 0, null));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcomes()).extracting(RunOutcome::agentId).doesNotHaveDuplicates().hasSize(1_000);
        assertThat(fleet.invocations()).hasSize(1_000);
        int parentEvents = env.getWorkflowClient().fetchHistory(TaskQueues.jobWorkflowId(JOB_ID)).getEvents().size();
        int childEvents = env.getWorkflowClient().fetchHistory(TaskQueues.runWorkflowId(JOB_ID, "agent-7"))
                .getEvents().size();
        System.out.printf("[fan-out] 1,000 targets: job history %d events, one run's history %d events%n",
                parentEvents, childEvents);
        // Temporal warns at 10,240 events and terminates a workflow at 51,200.
        assertThat(parentEvents).isLessThan(10_000);
        assertThat(childEvents).isLessThan(50);
    }

    @Test
    void jobToMoreTargetsThanTemporalAllowsPendingChildrenKeepsAtMostAThousandInFlight() throws Exception {
        fleet.willRun(invocation -> ScriptedAgent.exited(0, "ok\n", ""));
        List<RunTarget> targets = IntStream.range(0, 2_500)
                .mapToObj(i -> new RunTarget("agent-" + i, FLEET_QUEUE)).toList();

        JobOutcome outcome = newJob().run(new JobRequest(JOB_ID, targets, ECHO, 30, 60, 10, 65_536, 0, 0, 0, null));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcomes()).extracting(RunOutcome::agentId).doesNotHaveDuplicates().hasSize(2_500);
        assertThat(fleet.invocations()).hasSize(2_500);
        // Pending children as Temporal counts them (started, not yet closed), over the job's history:
        // the test server does not enforce the server's limit of 2,000, so the history shows the bound.
        var history = env.getWorkflowClient().fetchHistory(TaskQueues.jobWorkflowId(JOB_ID));
        var events = history.getEvents();
        int pending = 0;
        int mostPending = 0;
        for (var event : events) {
            switch (event.getEventType()) {
                case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED -> mostPending = Math.max(mostPending, ++pending);
                case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED,
                        EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED, EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT,
                        EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED, EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED ->
                        pending--;
                default -> {
                }
            }
        }
        System.out.printf("[fan-out] 2,500 targets: job history %d events, %,d bytes, at most %d runs pending%n",
                events.size(), history.getHistory().getSerializedSize(), mostPending);
        assertThat(mostPending).isEqualTo(JobWorkflowImpl.MAX_RUNS_IN_FLIGHT);
        assertThat(events.size()).isLessThan(10_240);
        assertThat(events).as("the version marker of the bound").anySatisfy(event -> assertThat(
                event.getMarkerRecordedEventAttributes().getDetailsMap().toString())
                .contains(JobWorkflowImpl.BOUNDED_RUNS_IN_FLIGHT));
        // Replays to the same commands (a 4 MB history is too big for the recorded replay suite).
        WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class);
    }

    private JobRequest request(List<String> agentIds, int concurrency, int maxFailures) {
        List<RunTarget> targets = new ArrayList<>();
        agentIds.forEach(id -> targets.add(RunTarget.of(id)));
        return new JobRequest(JOB_ID, targets, ECHO, 30, 10, 10, 65_536, concurrency, maxFailures, 0, null);
    }

    private void everyAgentRuns(ScriptedAgent.Script script) {
        agents.values().forEach(agent -> agent.willRun(script));
    }

    private void everyOtherAgentSucceeds(String except) {
        agents.forEach((id, agent) -> {
            if (!id.equals(except)) {
                agent.willRun(invocation -> ScriptedAgent.exited(0, "", ""));
            }
        });
    }

    /** Records the start order and how many commands overlap; each takes {@code millis} of real time. */
    private ScriptedAgent.Script countingRun(long millis) {
        return invocation -> {
            started.add(agentOf(invocation));
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Thread.sleep(millis);
            inFlight.decrementAndGet();
            return ScriptedAgent.exited(0, "", "");
        };
    }

    private static String agentOf(CommandInvocation invocation) {
        String queue = Activity.getExecutionContext().getInfo().getActivityTaskQueue();
        return queue.substring(TaskQueues.forAgent("").length());
    }

    /** Like a real agent: heartbeats until the heartbeat reports that the run is over. */
    private CommandResult heartbeatUntilTheRunEnds() throws Exception {
        try {
            while (true) {
                Activity.getExecutionContext().heartbeat(new CommandProgress(1_000L, 0L, 0L, ""));
                Thread.sleep(20);
            }
        } catch (Exception e) {
            runEnds.add(e);
            throw e;
        }
    }

    private JobWorkflow newJob() {
        return env.getWorkflowClient().newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.jobWorkflowId(JOB_ID))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    }
}
