package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.workflows.AgentLivenessWorkflow;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobWorkflow;
import io.mamos.workflows.LivenessParams;
import io.mamos.workflows.RetrySpec;
import io.mamos.workflows.RunRequest;
import io.mamos.workflows.RunTarget;
import io.mamos.workflows.RunWorkflow;
import io.mamos.workflows.ScheduledJobWorkflow;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An attacker with nothing but network access to the Temporal frontend (a raw client of their
 * own, no MAMOS credential) starts the orchestrator's own workflow types on the orchestrator's
 * queue with inputs of their choosing. The orchestrator's worker runs them, so each attack
 * reaches the orchestrator's store activities and signer; each must be refused there: the
 * workflow fails, no process starts on the agent (its marker file stays absent and its count of
 * started commands does not move), no row of the store changes, and the refusal is audited and
 * counted. The genuine path through the API keeps working throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RawTemporalClientIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);
    private static final Duration FORGED_END = Duration.ofSeconds(60);
    private static final Path MARKERS = Metrics.markerFolder("attack-markers");

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent()
            .withOrchestratorEnv("MAMOS_POLICY_FILE", policy().toString())
            .withEnrollEnv("MAMOS_AGENT_ALLOW", "/usr/bin/touch,/usr/bin/sleep,/usr/bin/cat");

    private static TemporalForger forger;
    private static WorkflowClient raw;

    @BeforeAll
    static void connectTheAttackersRawClient() {
        forger = new TemporalForger(mamos.temporal().target());
        raw = forger.client();
    }

    @AfterAll
    static void disconnect() {
        if (forger != null) {
            forger.close();
        }
    }

    @Test
    @Order(1)
    void forgedJobWithAnUnplannedCommandIsRefusedAndRunsNothing() {
        Path marker = MARKERS.resolve("unplanned");
        String jobId = UUID.randomUUID().toString();

        Attack attack = attack(() -> startJob(TaskQueues.jobWorkflowId(jobId), jobRequest(jobId, touch(marker), 30)));

        attack.assertRefused("RunDispatched", marker);
    }

    @Test
    @Order(2)
    void catOfEtcShadowUnderAFinishedJobsOwnWorkflowIdIsRefused() {
        JsonNode genuine = genuineTouch(MARKERS.resolve("genuine-before-shadow"));
        String jobId = genuine.path("id").asString();
        CommandSpec shadow = new CommandSpec("cat", "/usr/bin/cat", List.of("/etc/shadow"));

        Attack attack = attack(() -> startJob(genuine.path("workflowId").asString(), jobRequest(jobId, shadow, 30)));

        attack.assertRefused("RunDispatched", null);
        assertThat(mamos.api().job(jobId).path("stdout").asString()).doesNotContain("root:");
    }

    @Test
    @Order(3)
    void plannedRunReplayedWithChangedArgumentsOrTimeoutIsRefused() {
        double processes = agentProcesses();
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("5"), 60);
        mamos.api().awaitJobState(jobId, Set.of("RUNNING"), JOB_END);
        String workflowId = TaskQueues.jobWorkflowId(jobId);
        // The attacker ends the genuine workflow so that its id can be started again, with inputs of theirs.
        raw.newUntypedWorkflowStub(workflowId).terminate("attack");
        // The genuine sleep ends on the agent (killed or done), so the count of processes holds still from here.
        Poll.until("the genuine sleep to end on the agent", JOB_END, () -> agentProcesses() > processes);
        // The orchestrator's reconciler (a pass every 30 s) records the terminated run's end; wait
        // for it, so that no legitimate write lands during the attacks' before/after store snapshots.
        var ended = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(90));
        assertThat(ended.path("state").asString()).as("job after its workflow was terminated: %s", ended)
                .isEqualTo("FAILED");
        assertThat(ended.path("error").asString()).contains("terminated");
        Path marker = MARKERS.resolve("replayed-with-changed-args");

        Attack changedArgs = attack(() -> startJob(workflowId, jobRequest(jobId, touch(marker), 60)));
        changedArgs.assertRefused("RunDispatched", marker);

        Attack longerTimeout = attack(() -> startJob(workflowId, jobRequest(jobId,
                new CommandSpec("sleep", "/usr/bin/sleep", List.of("5")), 86_400)));
        longerTimeout.assertRefused("RunDispatched", null);

        Attack asAChildRun = attack(() -> {
            RunWorkflow run = raw.newWorkflowStub(RunWorkflow.class, options(TaskQueues.runWorkflowId(jobId,
                    mamos.agentId())));
            return WorkflowClient.start(run::run, new RunRequest(jobId, mamos.agentId(),
                    TaskQueues.forAgent(mamos.agentId()), touch(marker), 60, 30, 10, 4096, RetrySpec.NONE));
        });
        asAChildRun.assertRefused("RunDispatched", marker);
    }

    @Test
    @Order(4)
    void storedResultOfAFinishedJobCannotBeOverwritten() {
        JsonNode genuine = genuineTouch(MARKERS.resolve("finished"));
        String jobId = genuine.path("id").asString();
        String workflowId = genuine.path("workflowId").asString();

        // No targets: the workflow goes straight to recording the job's end, as SUCCEEDED.
        Attack noRuns = attack(() -> startJob(workflowId, new JobRequest(jobId, List.of(), touch(MARKERS.resolve("x")),
                30, 30, 10, 4096, 1, 0, 0, RetrySpec.NONE)));
        noRuns.assertRefused("JobFinished", null);

        JsonNode after = mamos.api().job(jobId);
        assertThat(after.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(after.path("finishedAt").asString()).isEqualTo(genuine.path("finishedAt").asString());
    }

    @Test
    @Order(5)
    void forgedFiringOfAnAdminsScheduleCreatesNoJobWhileATriggerThroughTheApiDoes() {
        Path forgedMarker = MARKERS.resolve("forged-firing");
        String scheduleId = createSchedule(forgedMarker);
        String firingId = "scheduled-" + scheduleId + "-" + Instant.now().truncatedTo(ChronoUnit.SECONDS);

        Attack attack = attack(() -> {
            ScheduledJobWorkflow firing = raw.newWorkflowStub(ScheduledJobWorkflow.class, options(firingId));
            return WorkflowClient.start(firing::fire, scheduleId);
        });

        attack.assertRefused("CreateJob", forgedMarker);
        assertThat(scheduleJobs(scheduleId)).isEmpty();

        mamos.api().post("/api/v1/schedules/" + scheduleId + "/trigger", Map.of()).expect(202);
        JsonNode triggered = Poll.until("the triggered firing's job", JOB_END, () -> scheduleJobs(scheduleId),
                jobs -> !jobs.isEmpty()).get(0);
        JsonNode job = mamos.api().awaitJobEnd(triggered.asString(), JOB_END);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(forgedMarker).as("the genuine trigger's marker").exists();
    }

    @Test
    @Order(6)
    void fakeLivenessWorkflowIsRefusedAndTheAgentsOwnIsStartedAgain() {
        String agentId = mamos.agentId();
        String livenessId = TaskQueues.agentWorkflowId(agentId);
        String genuineChain = livenessRunId(agentId);
        assertThat(genuineChain).isEqualTo(firstRunId(livenessId));
        double refusedBefore = refusals("AgentOnline");
        long attackedAt = System.currentTimeMillis();

        raw.newUntypedWorkflowStub(livenessId).terminate("attack");
        AgentLivenessWorkflow fake = raw.newWorkflowStub(AgentLivenessWorkflow.class, options(livenessId));
        String fakeRun = WorkflowClient.start(fake::run, new LivenessParams(agentId, 3, 60, 50, false, false)).getRunId();

        // The real agent answers the fake's check-in; the fake's write of its presence is refused.
        Poll.until("the fake liveness workflow's write to be refused", Duration.ofSeconds(60),
                () -> refusals("AgentOnline") > refusedBefore);
        // The orchestrator's mirror finds someone else's workflow under the agent's liveness id,
        // marks the agent OFFLINE, terminates it and starts the agent's own again.
        assertThat(awaitLivenessStartedAgain(agentId, genuineChain, attackedAt)).isNotEqualTo(fakeRun);
    }

    @Test
    @Order(7)
    void terminatedLivenessWorkflowMakesTheAgentOfflineAndIsStartedAgain() {
        String agentId = mamos.agentId();
        String livenessId = TaskQueues.agentWorkflowId(agentId);
        String chain = livenessRunId(agentId);
        assertThat(chain).isEqualTo(firstRunId(livenessId));
        long terminatedAt = System.currentTimeMillis();

        raw.newUntypedWorkflowStub(livenessId).terminate("attack");

        awaitLivenessStartedAgain(agentId, chain, terminatedAt);
    }

    /**
     * Waits for the orchestrator to start a new liveness chain for the agent (recorded in the store
     * and running under the agent's liveness id) after marking the agent OFFLINE, and for the agent
     * to be ONLINE through it; returns the new chain's first run.
     */
    private static String awaitLivenessStartedAgain(String agentId, String oldChain, long since) {
        String livenessId = TaskQueues.agentWorkflowId(agentId);
        String chain = Poll.until("the agent's own liveness workflow to be started again", Duration.ofSeconds(90),
                () -> livenessRunId(agentId), current -> !oldChain.equals(current)
                        && current.equals(firstRunId(livenessId)));
        assertThat(Long.parseLong(StoreSnapshot.value(mamos.orchestratorDataDir(),
                "SELECT went_offline_at FROM agents WHERE id = ?", agentId))).as("went OFFLINE at")
                .isGreaterThanOrEqualTo(since);
        Poll.until("the agent to be ONLINE again", Duration.ofSeconds(90),
                () -> mamos.api().get("/api/v1/agents/" + agentId).expect(200).path("status").asString()
                        .equals("ONLINE"));
        return chain;
    }

    @Test
    @Order(8)
    void genuineJobThroughTheApiStillRuns() {
        Path marker = MARKERS.resolve("genuine-last");

        genuineTouch(marker);

        assertThat(marker).exists();
    }

    /** What an attack left: the forged workflow's end, and the store and agent before and after. */
    private record Attack(WorkflowFailedException failure, Map<String, List<String>> storeBefore,
            Map<String, List<String>> storeAfter, double processesBefore, double processesAfter,
            Map<String, Double> refusalsBefore, Map<String, Double> refusalsAfter, String audit) {

        void assertRefused(String activity, Path marker) {
            assertThat(failure).as("the forged workflow failed").isNotNull();
            assertThat(refusalsAfter.getOrDefault(activity, 0.0))
                    .as("mamos_forged_activity_calls_total{activity=%s}", activity)
                    .isGreaterThan(refusalsBefore.getOrDefault(activity, 0.0));
            assertThat(audit).contains("activity.refused." + activity);
            assertThat(processesAfter).as("commands the agent started").isEqualTo(processesBefore);
            assertThat(storeAfter).as("the store").isEqualTo(storeBefore);
            if (marker != null) {
                assertThat(marker).as("marker of the forged command").doesNotExist();
            }
        }
    }

    private static Attack attack(java.util.function.Supplier<WorkflowExecution> start) {
        Map<String, List<String>> before = StoreSnapshot.of(mamos.orchestratorDataDir());
        double processes = agentProcesses();
        Map<String, Double> refusals = allRefusals();
        WorkflowExecution execution = start.get();
        WorkflowFailedException failure = null;
        try {
            raw.newUntypedWorkflowStub(execution.getWorkflowId(), java.util.Optional.of(execution.getRunId()),
                    java.util.Optional.empty()).getResult(FORGED_END.toSeconds(), java.util.concurrent.TimeUnit.SECONDS,
                    Object.class);
        } catch (WorkflowFailedException failed) {
            failure = failed;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the forged workflow " + execution + " did not end within " + FORGED_END, e);
        }
        String audit = mamos.api().get("/api/v1/audit?size=50").expect(200).toString();
        return new Attack(failure, before, StoreSnapshot.of(mamos.orchestratorDataDir()), processes, agentProcesses(),
                refusals, allRefusals(), audit);
    }

    private static WorkflowExecution startJob(String workflowId, JobRequest request) {
        JobWorkflow job = raw.newWorkflowStub(JobWorkflow.class, options(workflowId));
        return WorkflowClient.start(job::run, request);
    }

    private static WorkflowOptions options(String workflowId) {
        return WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build();
    }

    private static JobRequest jobRequest(String jobId, CommandSpec command, long timeoutSeconds) {
        return new JobRequest(jobId, List.of(RunTarget.of(mamos.agentId())), command, timeoutSeconds, 30, 10, 4096, 1,
                0, 0, RetrySpec.NONE);
    }

    private static CommandSpec touch(Path marker) {
        return new CommandSpec("touch", "/usr/bin/touch", List.of(marker.toString()));
    }

    private static JsonNode genuineTouch(Path marker) {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "touch", List.of(marker.toString()), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("genuine job %s", job).isEqualTo("SUCCEEDED");
        assertThat(marker).exists();
        return job;
    }

    private static String createSchedule(Path marker) {
        return mamos.api().post("/api/v1/schedules", Map.of("name", "yearly-" + UUID.randomUUID(),
                        "cron", "0 0 1 1 *",
                        "job", Map.of("agentId", mamos.agentId(), "command", "touch", "args",
                                List.of(marker.toString()), "timeoutSeconds", 30)))
                .expect(201).path("id").asString();
    }

    private static List<JsonNode> scheduleJobs(String scheduleId) {
        List<JsonNode> ids = new java.util.ArrayList<>();
        mamos.api().get("/api/v1/schedules/" + scheduleId).expect(200).path("recentJobIds").forEach(ids::add);
        return ids;
    }

    private static String livenessRunId(String agentId) {
        return StoreSnapshot.value(mamos.orchestratorDataDir(), "SELECT liveness_run_id FROM agents WHERE id = ?",
                agentId);
    }

    private static String firstRunId(String workflowId) {
        var info = raw.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build())
                .getWorkflowExecutionInfo();
        return info.getFirstRunId().isEmpty() ? info.getExecution().getRunId() : info.getFirstRunId();
    }

    /** Commands the agent started a process for (its duration timer records each one). */
    private static double agentProcesses() {
        return Metrics.sum(Metrics.scrape(mamos.agent().metricsUrl()), "mamos_agent_command_duration_seconds_count", "");
    }

    private static double refusals(String activity) {
        return allRefusals().getOrDefault(activity, 0.0);
    }

    private static Map<String, Double> allRefusals() {
        Map<String, Double> counts = new java.util.HashMap<>();
        for (String line : Metrics.scrape(mamos.orchestrator().baseUrl() + "/metrics").lines().toList()) {
            if (line.startsWith("mamos_forged_activity_calls_total{")) {
                String activity = line.replaceAll(".*activity=\"([^\"]*)\".*", "$1");
                counts.merge(activity, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
            }
        }
        return counts;
    }

    /** touch, sleep and cat, each limited: the agent allows all three, so only the orchestrator's checks stand. */
    private static Path policy() {
        return MarkerPolicy.write(MARKERS, """
                  sleep:
                    description: Wait
                    executable: /usr/bin/sleep
                    minArgs: 1
                    args:
                      - name: seconds
                        pattern: "[0-9]{1,2}"
                  cat:
                    description: Print a marker file (test only)
                    executable: /usr/bin/cat
                    minArgs: 1
                    args:
                      - name: file
                        pathPrefix: [%s/]
                """.formatted(MARKERS));
    }
}
