package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.Activity;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records the histories that {@link WorkflowReplayTest} replays: every workflow type along every
 * path it can take, run by the real workflow code on a real Temporal dev server, with scripted
 * agents and a recording store as the activities. Each history is written as JSON to
 * {@code src/test/resources/histories/<type>/<path>@<tag>.json}, beside those recorded before.
 *
 * <p>Not part of the normal build: it is no {@code *Test}, so Surefire runs it only when named.
 * Record with {@code scripts/record-histories.sh} (it installs the Temporal CLI and sets the tag
 * to the commit), or by hand:
 * <pre>
 * MAMOS_TEMPORAL_BIN=/path/to/temporal ./mvnw -B -o -pl workflows test \
 *     -Dtest=WorkflowHistoryRecorder -Dhistories.tag=&lt;commit&gt;
 * </pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkflowHistoryRecorder {

    private static final Path OUT = Path.of("src/test/resources/histories");
    private static final CommandSpec ECHO = new CommandSpec("echo", "/usr/bin/echo", List.of("hello"));
    private static final long GENEROUS_SECONDS = 30;

    private static Process server;
    private static WorkflowServiceStubs service;
    private static WorkflowClient client;
    private static String tag;

    private final RecordingJobStore store = new RecordingJobStore();
    private final Map<String, ScriptedAgent> agents = new LinkedHashMap<>();
    private WorkerFactory factory;

    @BeforeAll
    static void startDevServer() throws Exception {
        tag = System.getProperty("histories.tag", "");
        if (!tag.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalStateException("set -Dhistories.tag=<commit> (letters, digits, . _ -): it names the"
                    + " recording, so histories of earlier code stay beside the new ones");
        }
        String binary = System.getenv("MAMOS_TEMPORAL_BIN");
        if (binary == null || binary.isBlank()) {
            throw new IllegalStateException("MAMOS_TEMPORAL_BIN is not set: run scripts/record-histories.sh, or"
                    + " `source scripts/lib/common.sh && ensure_temporal` and export it");
        }
        Path dir = Files.createDirectories(Path.of("target", "history-recorder"));
        Files.deleteIfExists(dir.resolve("temporal.db"));
        int port = freePort();
        server = new ProcessBuilder(binary, "server", "start-dev", "--headless", "--port", String.valueOf(port),
                "--db-filename", dir.resolve("temporal.db").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("temporal.log").toFile())
                .start();
        service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + port).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                service.blockingStub().describeNamespace(DescribeNamespaceRequest.newBuilder()
                        .setNamespace("default").build());
                break;
            } catch (RuntimeException notYet) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Temporal dev server did not come up; see "
                            + dir.resolve("temporal.log"), notYet);
                }
                Thread.sleep(200);
            }
        }
        client = WorkflowClient.newInstance(service);
    }

    @AfterAll
    static void stopDevServer() throws InterruptedException {
        if (service != null) {
            service.shutdownNow();
        }
        if (server != null) {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        }
    }

    @AfterEach
    void stopWorkers() {
        if (factory != null) {
            factory.shutdownNow();
            factory.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    // ---- single-target jobs: the run is inline in the job workflow ----

    @Test
    void singleSucceeded() throws Exception {
        recordSingle("single-succeeded", invocation -> ScriptedAgent.exited(0, "hello\n", ""), JobState.SUCCEEDED);
    }

    @Test
    void singleFailed() throws Exception {
        recordSingle("single-failed", invocation -> ScriptedAgent.exited(2, "", "boom\n"), JobState.FAILED);
    }

    @Test
    void singleRefused() throws Exception {
        recordSingle("single-refused", invocation -> {
            throw ApplicationFailure.newNonRetryableFailure("signature expired", CommandActivities.COMMAND_REFUSED);
        }, JobState.REFUSED);
    }

    private void recordSingle(String id, ScriptedAgent.Script script, JobState expected) throws IOException {
        agent("agent-1").willRun(script);
        startWorkers();

        assertThat(job(id).run(single(id, "agent-1", 0, RetrySpec.NONE)).state()).isEqualTo(expected);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleAgentOffline() throws Exception {
        startWorkers();
        String id = "single-agent-offline";
        // No worker polls this agent's queue: the command waits out the agent wait.
        JobRequest request = new JobRequest(id, List.of(RunTarget.of("agent-offline")), ECHO, GENEROUS_SECONDS, 1,
                GENEROUS_SECONDS, 65_536, 0, 0, 0, RetrySpec.NONE);

        assertThat(job(id).run(request).state()).isEqualTo(JobState.AGENT_OFFLINE);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleWaitedForABusyAgent() throws Exception {
        store.agentsOnline("agent-busy");
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch blockerMayEnd = new CountDownLatch(1);
        // The agent's only slot is busy with another job's command past this job's 1 s agent wait.
        agent("agent-busy").willRun(invocation -> {
            if (invocation.jobId().equals("blocker")) {
                blockerRunning.countDown();
                while (!blockerMayEnd.await(100, TimeUnit.MILLISECONDS)) {
                    Activity.getExecutionContext().heartbeat(null);
                }
            }
            return ScriptedAgent.exited(0, "ran\n", "");
        });
        startWorkers();
        WorkflowClient.start(job("blocker")::run, new JobRequest("blocker", List.of(RunTarget.of("agent-busy")), ECHO,
                GENEROUS_SECONDS, GENEROUS_SECONDS, GENEROUS_SECONDS, 65_536, 0, 0, 0, RetrySpec.NONE));
        assertThat(blockerRunning.await(30, TimeUnit.SECONDS)).isTrue();
        String id = "single-waited-for-busy-agent";
        JobWorkflow job = job(id);
        WorkflowClient.start(job::run, new JobRequest(id, List.of(RunTarget.of("agent-busy")), ECHO, GENEROUS_SECONDS, 1,
                GENEROUS_SECONDS, 65_536, 0, 0, 0, RetrySpec.NONE));
        while (store.operations().stream().filter("resignForWaitingRun"::equals).count() < 2) {
            Thread.sleep(50);
        }
        blockerMayEnd.countDown();

        assertThat(WorkflowStub.fromTyped(job).getResult(JobOutcome.class).state()).isEqualTo(JobState.SUCCEEDED);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleCanceled() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        agent("agent-1").willRun(invocation -> heartbeatUntilCanceled(running));
        startWorkers();
        String id = "single-canceled";
        JobWorkflow job = job(id);
        WorkflowClient.start(job::run, single(id, "agent-1", 0, RetrySpec.NONE));
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

        WorkflowStub.fromTyped(job).cancel();

        awaitCanceled(WorkflowStub.fromTyped(job));
        assertThat(store.finishedOutcome().state()).isEqualTo(JobState.CANCELED);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleJobTimeout() throws Exception {
        agent("agent-1").willRun(invocation -> heartbeatUntilCanceled(new CountDownLatch(1)));
        startWorkers();
        String id = "single-job-timeout";

        assertThat(job(id).run(single(id, "agent-1", 2, RetrySpec.NONE)).state()).isEqualTo(JobState.TIMED_OUT);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleRetriedAfterAgentLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        agent("agent-1").willRun(invocation -> {
            if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure("agent is shutting down",
                        CommandActivities.AGENT_SHUT_DOWN);
            }
            return ScriptedAgent.exited(0, "second time\n", "");
        });
        startWorkers();
        String id = "single-retried-after-agent-lost";

        JobOutcome outcome = job(id).run(single(id, "agent-1", 0, new RetrySpec(2, 1)));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcome().attempt()).isEqualTo(2);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleCollectedAfterSilence() throws Exception {
        ScriptedAgent agent = agent("agent-1");
        // Heartbeats stop reaching Temporal (as in a Temporal outage) while the command runs on.
        agent.willRun(invocation -> {
            Thread.sleep(3_000);
            return ScriptedAgent.exited(0, "too late to report\n", "");
        });
        agent.willAnswerAwait(invocation -> ScriptedAgent.exited(0, "collected\n", ""));
        startWorkers();
        String id = "single-collected-after-silence";

        JobOutcome outcome = job(id).run(silentAfter(id));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcome().stdout()).isEqualTo("collected\n");
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    @Test
    void singleLostAfterSilenceToARestartedAgent() throws Exception {
        // The agent answers AwaitCommand with COMMAND_UNKNOWN (ScriptedAgent's default): it restarted.
        agent("agent-1").willRun(invocation -> {
            Thread.sleep(3_000);
            return ScriptedAgent.exited(0, "", "");
        });
        startWorkers();
        String id = "single-lost-after-silence";

        assertThat(job(id).run(silentAfter(id)).state()).isEqualTo(JobState.AGENT_LOST);
        save("job", id, TaskQueues.jobWorkflowId(id));
    }

    // ---- fan-out jobs: one RunWorkflow child per target ----

    @Test
    void fanOutSucceeded() throws Exception {
        everyAgentRuns(List.of("a1", "a2", "a3"), invocation -> ScriptedAgent.exited(0, "ok\n", ""));
        startWorkers();
        String id = "fan-out-succeeded";

        assertThat(job(id).run(fanOut(id, 0, 0, 0)).state()).isEqualTo(JobState.SUCCEEDED);
        saveJobAndRuns(id);
    }

    @Test
    void fanOutCanceled() throws Exception {
        CountDownLatch twoRunning = new CountDownLatch(2);
        everyAgentRuns(List.of("a1", "a2", "a3"), invocation -> heartbeatUntilCanceled(twoRunning));
        startWorkers();
        String id = "fan-out-canceled";
        JobWorkflow job = job(id);
        WorkflowClient.start(job::run, fanOut(id, 2, 0, 0));
        assertThat(twoRunning.await(30, TimeUnit.SECONDS)).isTrue();

        WorkflowStub.fromTyped(job).cancel();

        awaitCanceled(WorkflowStub.fromTyped(job));
        assertThat(store.notStarted()).containsExactly("a3");
        saveJobAndRuns(id);
    }

    @Test
    void fanOutThresholdReached() throws Exception {
        agent("a1").willRun(invocation -> ScriptedAgent.exited(1, "", "failed\n"));
        everyAgentRuns(List.of("a2", "a3"), invocation -> ScriptedAgent.exited(0, "", ""));
        startWorkers();
        String id = "fan-out-threshold";

        JobOutcome outcome = job(id).run(fanOut(id, 1, 1, 0));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(store.notStarted()).containsExactly("a2", "a3");
        saveJobAndRuns(id);
    }

    @Test
    void fanOutJobTimeout() throws Exception {
        everyAgentRuns(List.of("a1", "a2", "a3"), invocation -> heartbeatUntilCanceled(new CountDownLatch(1)));
        startWorkers();
        String id = "fan-out-job-timeout";

        assertThat(job(id).run(fanOut(id, 1, 0, 2)).state()).isEqualTo(JobState.TIMED_OUT);
        saveJobAndRuns(id);
    }

    @Test
    void fanOutRetriedAfterAgentLost() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        agent("a1").willRun(invocation -> {
            if (calls.incrementAndGet() == 1) {
                throw ApplicationFailure.newNonRetryableFailure("agent is shutting down",
                        CommandActivities.AGENT_SHUT_DOWN);
            }
            return ScriptedAgent.exited(0, "", "");
        });
        agent("a2").willRun(invocation -> ScriptedAgent.exited(0, "", ""));
        startWorkers();
        String id = "fan-out-retried";
        JobRequest request = new JobRequest(id, List.of(RunTarget.of("a1"), RunTarget.of("a2")), ECHO,
                GENEROUS_SECONDS, GENEROUS_SECONDS, GENEROUS_SECONDS, 65_536, 0, 0, 0, new RetrySpec(2, 1));

        assertThat(job(id).run(request).state()).isEqualTo(JobState.SUCCEEDED);
        saveJobAndRuns(id);
    }

    // ---- schedule firings ----

    @Test
    void scheduleFiring() throws Exception {
        agent("agent-1").willRun(invocation -> ScriptedAgent.exited(0, "nightly\n", ""));
        String firing = "schedule-nightly-firing";
        startWorkers((scheduleId, workflowId, firedAtMillis) ->
                single("sched-1", "agent-1", 0, RetrySpec.NONE));

        assertThat(firing(firing).fire("nightly").state()).isEqualTo(JobState.SUCCEEDED);
        save("schedule", "firing-succeeded", firing);
    }

    @Test
    void scheduleFiringRefused() throws Exception {
        String firing = "schedule-refused-firing";
        // The schedule's command is no longer allowed: the activity records the refusal, nothing runs.
        startWorkers((scheduleId, workflowId, firedAtMillis) -> null);

        assertThat(firing(firing).fire("refused")).isNull();
        save("schedule", "firing-refused", firing);
    }

    // ---- agent liveness ----

    @Test
    void livenessAcrossContinueAsNew() throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        CountDownLatch fourthSession = new CountDownLatch(1);
        LivenessActivities liveness = new LivenessActivities() {
            @Override
            public SystemSnapshot checkIn(String agentId) {
                return snapshot();
            }

            @Override
            public SystemSnapshot reportLiveness(LivenessSession session) {
                int n = sessions.incrementAndGet();
                try {
                    if (n == 3) {
                        // Silent past the heartbeat timeout, as a killed agent: recorded OFFLINE.
                        Thread.sleep(4_000);
                        return snapshot();
                    }
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(session.durationSeconds());
                    if (n == 4) {
                        fourthSession.countDown();
                        end = Long.MAX_VALUE;
                    }
                    while (System.nanoTime() < end) {
                        Activity.getExecutionContext().heartbeat(snapshot());
                        Thread.sleep(100);
                    }
                    return snapshot();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        };
        List<String> transitions = new ArrayList<>();
        AgentStoreActivities agentStore = new AgentStoreActivities() {
            @Override
            public synchronized void agentOnline(String agentId, SystemSnapshot snapshot, long atMillis) {
                transitions.add("online");
            }

            @Override
            public synchronized void agentOffline(String agentId, long atMillis, String reason) {
                transitions.add("offline");
            }
        };
        factory = WorkerFactory.newInstance(client);
        orchestratorWorker(agentStore);
        // Checked in on its command queue first; its snapshots say it polls its liveness queue, so
        // the rest takes place there.
        agentWorker("agent-live").registerActivitiesImplementations(liveness);
        factory.newWorker(TaskQueues.livenessForAgent("agent-live"), WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build()).registerActivitiesImplementations(liveness);
        factory.start();
        String workflowId = TaskQueues.agentWorkflowId("agent-live");
        AgentLivenessWorkflow workflow = client.newWorkflowStub(AgentLivenessWorkflow.class,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(TaskQueues.ORCHESTRATOR).build());
        // Two sessions per run: the first run continues as new; the second goes offline, comes back, is cancelled.
        String firstRunId = WorkflowClient.start(workflow::run, new LivenessParams("agent-live", 1, 1, 2, false, false))
                .getRunId();
        assertThat(fourthSession.await(60, TimeUnit.SECONDS)).isTrue();

        WorkflowStub latest = client.newUntypedWorkflowStub(workflowId);
        latest.cancel();

        awaitCanceled(latest);
        assertThat(transitions).contains("offline");
        write("liveness", "continued-as-new", client.fetchHistory(workflowId, firstRunId).toJson(true));
        save("liveness", "offline-online-canceled", workflowId);
    }

    // ---- helpers ----

    private ScriptedAgent agent(String agentId) {
        return agents.computeIfAbsent(agentId, id -> new ScriptedAgent());
    }

    private void everyAgentRuns(List<String> agentIds, ScriptedAgent.Script script) {
        agentIds.forEach(id -> agent(id).willRun(script));
    }

    private void startWorkers() {
        startWorkers((scheduleId, workflowId, firedAtMillis) -> {
            throw new AssertionError("no schedule fires in this recording");
        });
    }

    private void startWorkers(ScheduleActivities schedules) {
        factory = WorkerFactory.newInstance(client);
        orchestratorWorker(schedules);
        agents.forEach((id, agent) -> agentWorker(id).registerActivitiesImplementations(agent));
        factory.start();
    }

    private void orchestratorWorker(Object activities) {
        Worker orchestrator = factory.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(JobWorkflowImpl.class, RunWorkflowImpl.class,
                ScheduledJobWorkflowImpl.class, AgentLivenessWorkflowImpl.class);
        orchestrator.registerActivitiesImplementations(store, activities);
    }

    private Worker agentWorker(String agentId) {
        return factory.newWorker(TaskQueues.forAgent(agentId), WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                // "agent-busy" has one command slot, which another job's command can hold.
                .setMaxConcurrentActivityExecutionSize(agentId.equals("agent-busy") ? 1 : 200)
                .build());
    }

    private JobWorkflow job(String jobId) {
        return client.newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.jobWorkflowId(jobId))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    }

    private ScheduledJobWorkflow firing(String workflowId) {
        return client.newWorkflowStub(ScheduledJobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    }

    private static JobRequest single(String jobId, String agentId, long jobTimeoutSeconds, RetrySpec retry) {
        return new JobRequest(jobId, List.of(RunTarget.of(agentId)), ECHO, GENEROUS_SECONDS, GENEROUS_SECONDS,
                GENEROUS_SECONDS, 65_536, 0, 0, jobTimeoutSeconds, retry);
    }

    /** A one-second heartbeat timeout, so a command that stops heartbeating is noticed at once. */
    private static JobRequest silentAfter(String jobId) {
        return new JobRequest(jobId, List.of(RunTarget.of("agent-1")), ECHO, GENEROUS_SECONDS, GENEROUS_SECONDS, 1,
                65_536, 0, 0, 0, RetrySpec.NONE);
    }

    private static JobRequest fanOut(String jobId, int concurrency, int maxFailures, long jobTimeoutSeconds) {
        return new JobRequest(jobId, List.of(RunTarget.of("a1"), RunTarget.of("a2"), RunTarget.of("a3")), ECHO,
                GENEROUS_SECONDS, GENEROUS_SECONDS, GENEROUS_SECONDS, 65_536, concurrency, maxFailures,
                jobTimeoutSeconds, RetrySpec.NONE);
    }

    /** Like a real agent: heartbeats until the heartbeat says the run is over (it then throws). */
    private static CommandResult heartbeatUntilCanceled(CountDownLatch running) throws InterruptedException {
        running.countDown();
        while (true) {
            Activity.getExecutionContext().heartbeat(new CommandProgress(1_000L, 0L, 0L, ""));
            Thread.sleep(50);
        }
    }

    private static void awaitCanceled(WorkflowStub workflow) {
        assertThatThrownBy(() -> workflow.getResult(60, TimeUnit.SECONDS, Object.class))
                .isInstanceOf(WorkflowFailedException.class);
    }

    private static SystemSnapshot snapshot() {
        return new SystemSnapshot("host", "Linux", "6", "cpu", 2, 0.1, 0.5, 1, 2,
                List.of(new DiskUsage("/", "ext4", 1, 2)), 10, "recorder", 0, null, System.currentTimeMillis(), true);
    }

    /** The job's history, and each of its runs' child histories under {@code run/}. */
    private void saveJobAndRuns(String jobId) throws IOException {
        save("job", jobId, TaskQueues.jobWorkflowId(jobId));
        List<String> dispatched = store.writes().stream()
                .filter(write -> write.operation().equals("runDispatched")).map(RecordingJobStore.Write::agentId)
                .distinct().toList();
        assertThat(dispatched).isNotEmpty();
        for (String agentId : dispatched) {
            save("run", jobId + "-" + agentId, TaskQueues.runWorkflowId(jobId, agentId));
        }
    }

    private static void save(String type, String path, String workflowId) throws IOException {
        write(type, path, client.fetchHistory(workflowId).toJson(true));
    }

    private static void write(String type, String path, String json) throws IOException {
        Path file = OUT.resolve(type).resolve(path + "@" + tag + ".json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, json + System.lineSeparator());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
