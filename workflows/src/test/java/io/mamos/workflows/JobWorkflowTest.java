package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job workflow with a single target (run inline) against the in-memory Temporal test server, with real worker registrations
 * on the real task-queue names: the workflow and its store (local activities) on the
 * orchestrator queue, a scripted agent on its own agent queue.
 *
 * <p>The test server skips time only while no activity is scheduled or running, so the timeouts
 * that elapse with the command outstanding (agent wait, heartbeat) pass in real time and are
 * kept to a second or two here.
 */
class JobWorkflowTest {

    private static final String JOB_ID = "42";
    private static final String AGENT_ID = "agent-1";
    private static final String OTHER_AGENT_ID = "agent-2";
    /** No worker ever polls this agent's queue. */
    private static final String OFFLINE_AGENT_ID = "agent-offline";
    /** Online, with one command slot. */
    private static final String BUSY_AGENT_ID = "agent-busy";
    private static final CommandSpec ECHO = new CommandSpec("echo", "/usr/bin/echo", List.of("hello"));
    /** Long enough that no test is cut short by a timeout it is not about. */
    private static final long GENEROUS_SECONDS = 10;

    private final RecordingJobStore store = new RecordingJobStore();
    private final ScriptedAgent agent = new ScriptedAgent();
    private final ScriptedAgent otherAgent = new ScriptedAgent();
    private final ScriptedAgent busyAgent = new ScriptedAgent();
    /** Scripts that block wait on this; opened before the environment closes so no thread lingers. */
    private final CountDownLatch agentMayReturn = new CountDownLatch(1);
    private final CountDownLatch commandStarted = new CountDownLatch(1);
    /** How the agent's heartbeat told it the run was over. */
    private final CompletableFuture<Exception> agentSawRunEnd = new CompletableFuture<>();
    private TestWorkflowEnvironment env;

    @BeforeEach
    void startWorkers() {
        env = newEnvironment(store);
        env.start();
    }

    @AfterEach
    void stopWorkers() {
        agentMayReturn.countDown();
        env.close();
    }

    @Test
    void commandExitingWithZeroSucceedsWithItsOutput() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "hello\n", ""));

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcome().exitCode()).isZero();
        assertThat(store.runOutcome().stdout()).isEqualTo("hello\n");
        assertThat(store.runOutcome().error()).isNull();
    }

    @Test
    void storeSeesDispatchThenSuccessfulEnd() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "hello\n", ""));

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(store.operations()).containsExactly("runDispatched", "runFinished", "jobFinished");
        assertThat(store.finishedOutcome()).isEqualTo(outcome);
        assertThat(store.finishedOutcome().state()).isEqualTo(JobState.SUCCEEDED);
    }

    @Test
    void storeWritesThatFailAreRetriedUntilTheStoreAnswers() {
        store.failEachWriteFirst(3);
        agent.willRun(invocation -> ScriptedAgent.exited(0, "hello\n", ""));

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.operations()).containsExactly("runDispatched", "runFinished", "jobFinished");
        assertThat(store.failedAttempts()).hasSize(3)
                .allSatisfy((operation, failures) -> assertThat(failures).hasValue(3));
    }

    @Test
    void agentReceivesTheCommandWithItsLimits() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "", ""));

        newJob().run(request(AGENT_ID));

        assertThat(agent.invocations()).containsExactly(new CommandInvocation(JOB_ID, AGENT_ID, 1, ECHO, 30, 65_536,
                1_000, 1_000 + store.preparedValidForSeconds() * 1000, "nonce-" + JOB_ID, "signed-by-test"));
    }

    @Test
    void signedCommandStaysValidForTheWaitForTheAgentPlusSlack() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "", ""));

        newJob().run(request(AGENT_ID));

        assertThat(store.preparedValidForSeconds())
                .isEqualTo(request(AGENT_ID).agentWaitSeconds() + RunExecution.SIGNATURE_SLACK.toSeconds());
    }

    @Test
    void commandExitingWithNonZeroFailsKeepingItsExitCode() {
        agent.willRun(invocation -> ScriptedAgent.exited(3, "", "no such thing\n"));

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(outcome.state()).isEqualTo(JobState.FAILED);
        assertThat(store.runOutcome().exitCode()).isEqualTo(3);
        assertThat(store.runOutcome().stderr()).isEqualTo("no such thing\n");
    }

    @Test
    void commandKilledByTheAgentOnTimeoutEndsTimedOut() {
        agent.willRun(invocation -> new CommandResult(-1, "partial", "", false, true, 1_000L, 31_000L));

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(outcome.state()).isEqualTo(JobState.TIMED_OUT);
        assertThat(store.runOutcome().exitCode()).isEqualTo(-1);
        assertThat(store.runOutcome().stdout()).isEqualTo("partial");
    }

    @Test
    void commandNobodyPicksUpEndsAgentOfflineAfterTheAgentWait() {
        long agentWaitSeconds = 1;

        JobOutcome outcome = newJob().run(request(OFFLINE_AGENT_ID, agentWaitSeconds, GENEROUS_SECONDS));

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_OFFLINE);
        assertThat(store.runOutcome().error()).contains(OFFLINE_AGENT_ID);
        // Workflow time from dispatch to end: the wait, plus the workflow's own few milliseconds.
        assertThat(store.runOutcome().finishedAtMillis() - store.dispatchedAtMillis())
                .isBetween(agentWaitSeconds * 1_000, agentWaitSeconds * 1_000 + 2_000);
    }

    @Test
    void commandQueuedOnAnOnlineButBusyAgentWaitsPastTheAgentWaitAndRuns() throws Exception {
        store.agentsOnline(BUSY_AGENT_ID);
        CountDownLatch blockerRunning = new CountDownLatch(1);
        CountDownLatch blockerMayEnd = new CountDownLatch(1);
        // The agent's only command slot is taken by another job's command until the test lets it end.
        busyAgent.willRun(invocation -> {
            if (invocation.jobId().equals("blocker")) {
                blockerRunning.countDown();
                while (!blockerMayEnd.await(100, TimeUnit.MILLISECONDS)) {
                    Activity.getExecutionContext().heartbeat(null);
                }
            }
            return ScriptedAgent.exited(0, invocation.jobId() + "\n", "");
        });
        JobWorkflow blocker = env.getWorkflowClient().newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.jobWorkflowId("blocker")).setTaskQueue(TaskQueues.ORCHESTRATOR).build());
        WorkflowClient.start(blocker::run, new JobRequest("blocker", List.of(RunTarget.of(BUSY_AGENT_ID)), ECHO, 30,
                GENEROUS_SECONDS, GENEROUS_SECONDS, 65_536, 0, 0, 0, RetrySpec.NONE));
        assertThat(blockerRunning.await(10, TimeUnit.SECONDS)).isTrue();
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(BUSY_AGENT_ID, 1, GENEROUS_SECONDS));

        // Past the 1 s agent wait, the store is asked to sign the attempt again; then the slot frees.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (store.operations().stream().filter("resignForWaitingRun"::equals).count() < 2) {
            assertThat(System.nanoTime()).as("the store asked for a new signature").isLessThan(deadline);
            Thread.sleep(50);
        }
        blockerMayEnd.countDown();

        JobOutcome outcome = awaitResult(job);
        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        List<CommandInvocation> received = busyAgent.invocations().stream()
                .filter(invocation -> invocation.jobId().equals(JOB_ID)).toList();
        // One command received and run, under the new signature of the same attempt.
        assertThat(received).singleElement().satisfies(invocation -> {
            assertThat(invocation.attempt()).isEqualTo(1);
            assertThat(invocation.nonce()).isEqualTo("nonce-" + JOB_ID + "-resigned");
        });
        assertThat(store.writes()).filteredOn(write -> write.jobId().equals(JOB_ID))
                .extracting(RecordingJobStore.Write::operation)
                .containsExactly("runDispatched", "resignForWaitingRun", "resignForWaitingRun", "runFinished",
                        "jobFinished");
    }

    @Test
    void commandForAnOfflineAgentIsNotSignedAgainAndEndsAgentOffline() {
        JobOutcome outcome = newJob().run(request(OFFLINE_AGENT_ID, 1, GENEROUS_SECONDS));

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_OFFLINE);
        assertThat(store.operations()).containsExactly("runDispatched", "resignForWaitingRun", "runFinished",
                "jobFinished");
        assertThat(store.runOutcome().error()).isEqualTo("agent " + OFFLINE_AGENT_ID
                + " did not pick the command up within 1s");
    }

    @Test
    void agentThatStopsHeartbeatingMidCommandAndRestartedEndsAgentLost() throws Exception {
        agent.willRun(silentAfterOneHeartbeat());
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 2));

        JobOutcome outcome = awaitResult(job);

        assertThat(agent.awaited()).containsExactly(TaskQueues.jobWorkflowId(JOB_ID));
        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(store.runOutcome().error()).contains(AGENT_ID, "heartbeat", "restarted");
    }

    @Test
    void agentThatStopsHeartbeatingAndStaysSilentEndsAgentLost() throws Exception {
        agent.willRun(silentAfterOneHeartbeat());
        agent.willAnswerAwait(none -> {
            agentMayReturn.await(); // silent again: no heartbeat, no result
            throw new IllegalStateException("unreachable: released only after the test");
        });
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 2));

        JobOutcome outcome = WorkflowStub.fromTyped(job).getResult(20, TimeUnit.SECONDS, JobOutcome.class);

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(store.runOutcome().error()).contains(AGENT_ID, "did not answer");
    }

    @Test
    void commandWhoseHeartbeatsStoppedReachingTemporalEndsWithTheResultTheAgentKept() throws Exception {
        // As when Temporal is down for longer than the heartbeat timeout: the run times out on the
        // server, while the agent keeps the command running and its result.
        agent.willRun(silentAfterOneHeartbeat());
        agent.willAnswerAwait(none -> ScriptedAgent.exited(0, "kept\n", ""));
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 2));

        JobOutcome outcome = awaitResult(job);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(store.runOutcome().stdout()).isEqualTo("kept\n");
        assertThat(store.finishedOutcome().state()).isEqualTo(JobState.SUCCEEDED);
        // The question carried the store's ticket for this attempt and this very workflow run.
        String runId = WorkflowStub.fromTyped(job).getExecution().getRunId();
        assertThat(agent.awaitTickets()).singleElement().satisfies(ticket -> {
            assertThat(ticket.signature()).isEqualTo("ticket-by-test");
            assertThat(ticket.attempt()).isEqualTo(1);
            assertThat(ticket.workflowId()).isEqualTo(TaskQueues.jobWorkflowId(JOB_ID));
            assertThat(ticket.runId()).isEqualTo(runId);
        });
    }

    @Test
    void aQuestionTheAgentRefusesEndsTheRunAgentLostNotRefused() throws Exception {
        // The command may well have run: the agent only refused to say how it ended (its ticket expired, say).
        agent.willRun(silentAfterOneHeartbeat());
        agent.willAnswerAwait(none -> {
            throw ApplicationFailure.newNonRetryableFailure("await ticket expired 40s ago",
                    CommandActivities.COMMAND_REFUSED);
        });
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 2));

        JobOutcome outcome = awaitResult(job);

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(store.runOutcome().error()).contains("refused the question", "unknown", "await ticket expired");
    }

    @Test
    void commandTheAgentNeverReceivedIsSentAgainAsANewAttemptAndSucceeds() throws Exception {
        // Temporal handed attempt 1 out (it counts as started) but it never reached the agent's code:
        // no heartbeat, no ledger entry. The agent has been up all along and says so.
        agent.willRun(neverReceivedThenExits(1));
        agentUpAllAlongHasNoRecord();
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 1));

        JobOutcome outcome = WorkflowStub.fromTyped(job).getResult(30, TimeUnit.SECONDS, JobOutcome.class);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(agent.awaitedAttempts()).containsExactly(1);
        assertThat(agent.invocations()).extracting(CommandInvocation::attempt).containsExactly(1, 2);
        assertThat(store.runOutcomes()).singleElement().satisfies(run -> {
            assertThat(run.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(run.attempt()).isEqualTo(2);
            assertThat(run.stdout()).isEqualTo("ran\n");
        });
    }

    @Test
    void aJobWithRetryRunsACommandTheAgentNeverReceivedOnceOnly() throws Exception {
        List<Integer> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        agent.willRun(invocation -> {
            if (invocation.attempt() == 1) {
                agentMayReturn.await(); // never reached the agent's code
                throw new IllegalStateException("unreachable: released only after the test");
            }
            ran.add(invocation.attempt());
            return ScriptedAgent.exited(0, "ran\n", "");
        });
        agentUpAllAlongHasNoRecord();
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, withRetry(request(AGENT_ID, GENEROUS_SECONDS, 1), new RetrySpec(3, 1)));

        JobOutcome outcome = WorkflowStub.fromTyped(job).getResult(30, TimeUnit.SECONDS, JobOutcome.class);

        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(ran).containsExactly(2);
    }

    @Test
    void commandTheAgentKeepsNotReceivingEndsAgentLostSayingSo() throws Exception {
        agent.willRun(invocation -> {
            agentMayReturn.await();
            throw new IllegalStateException("unreachable: released only after the test");
        });
        agentUpAllAlongHasNoRecord();
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 1));

        JobOutcome outcome = WorkflowStub.fromTyped(job).getResult(60, TimeUnit.SECONDS, JobOutcome.class);

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(agent.invocations()).hasSize(1 + RunExecution.MAX_RESENDS);
        assertThat(store.runOutcome().error()).contains(AGENT_ID, "never received", "never ran")
                .doesNotContain("restarted");
    }

    @Test
    void agentThatCameUpAfterTheDispatchIsReportedRestartedAndTheCommandNotSentAgain() throws Exception {
        JobOutcome outcome = lostAndAskedAnswering(noRecord(Duration.ZERO, Duration.ZERO));

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(agent.invocations()).hasSize(1);
        assertThat(store.runOutcome().error()).contains(AGENT_ID, "restarted since", "no record")
                .doesNotContain("never received");
    }

    @Test
    void agentThatNoLongerRemembersThatFarBackIsNotTakenAsNeverHavingReceivedTheCommand() throws Exception {
        JobOutcome outcome = lostAndAskedAnswering(noRecord(Duration.ofHours(1), Duration.ZERO));

        assertThat(outcome.state()).isEqualTo(JobState.AGENT_LOST);
        assertThat(agent.invocations()).hasSize(1);
        assertThat(store.runOutcome().error()).contains("no longer keeps a record");
    }

    /** Attempts before {@code lastLost + 1} never reach the agent's code; the next one runs and exits 0. */
    private ScriptedAgent.Script neverReceivedThenExits(int lastLost) {
        return invocation -> {
            if (invocation.attempt() <= lastLost) {
                agentMayReturn.await();
                throw new IllegalStateException("unreachable: released only after the test");
            }
            return ScriptedAgent.exited(0, "ran\n", "");
        };
    }

    /** The agent goes silent mid-command; asked for the command, it fails with {@code answer}. */
    private JobOutcome lostAndAskedAnswering(ApplicationFailure answer) throws TimeoutException {
        agent.willRun(silentAfterOneHeartbeat());
        agent.willAnswerAwait(none -> {
            throw answer;
        });
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID, GENEROUS_SECONDS, 1));
        return awaitResult(job);
    }

    /** Asked for the command, the agent says it has no record, up and remembering for an hour. */
    private void agentUpAllAlongHasNoRecord() {
        agent.willAnswerAwait(none -> {
            throw noRecord(Duration.ofHours(1), Duration.ofHours(1));
        });
    }

    /** An agent's "no record" answer, saying how long it has been up and how far back it remembers. */
    private static ApplicationFailure noRecord(Duration upFor, Duration remembersFor) {
        return ApplicationFailure.newNonRetryableFailure("the agent has no record of the command",
                CommandActivities.COMMAND_UNKNOWN,
                new CommandUnknownDetails("incarnation-1", upFor.toMillis(), remembersFor.toMillis()));
    }

    private static JobRequest withRetry(JobRequest request, RetrySpec retry) {
        return new JobRequest(request.jobId(), request.targets(), request.command(), request.timeoutSeconds(),
                request.agentWaitSeconds(), request.heartbeatTimeoutSeconds(), request.maxOutputBytes(),
                request.concurrency(), request.maxFailures(), request.jobTimeoutSeconds(), retry);
    }

    /** The agent heartbeats once, then neither heartbeats nor returns (dead, or cut off from Temporal). */
    private ScriptedAgent.Script silentAfterOneHeartbeat() {
        return invocation -> {
            Activity.getExecutionContext().heartbeat(new CommandProgress(1_000L, 10L, 6L, "hello\n"));
            commandStarted.countDown();
            agentMayReturn.await();
            throw new IllegalStateException("unreachable: released only after the test");
        };
    }

    @Test
    void cancelingTheJobCancelsTheRunningCommand() throws Exception {
        agent.willRun(heartbeatUntilTheRunEnds());
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID));
        awaitCommandStarted();

        WorkflowStub.fromTyped(job).cancel();

        assertThat(agentSawRunEnd.get(10, TimeUnit.SECONDS)).isInstanceOf(ActivityCanceledException.class);
    }

    @Test
    void canceledJobStillRecordsItsCanceledEnd() throws InterruptedException {
        agent.willRun(heartbeatUntilTheRunEnds());
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID));
        awaitCommandStarted();

        WorkflowStub.fromTyped(job).cancel();

        // A workflow whose cancellation was requested closes as canceled whatever it returns,
        // so the store is the only place the outcome is kept.
        assertThatThrownBy(() -> awaitResult(job)).isInstanceOf(WorkflowFailedException.class)
                .hasCauseInstanceOf(CanceledFailure.class);
        assertThat(store.operations()).containsExactly("runDispatched", "runFinished", "jobFinished");
        assertThat(store.finishedOutcome().state()).isEqualTo(JobState.CANCELED);
    }

    @Test
    void jobCanceledBeforeItIsDispatchedStillRecordsItsCanceledEnd() {
        // The cancel request is already in the history when the orchestrator's worker first runs the workflow.
        RecordingJobStore lateStore = new RecordingJobStore();
        TestWorkflowEnvironment late = newEnvironment(lateStore);
        try {
            JobWorkflow job = newJob(late);
            WorkflowClient.start(job::run, request(AGENT_ID));
            WorkflowStub.fromTyped(job).cancel();
            late.start();

            assertThatThrownBy(() -> awaitResult(job)).isInstanceOf(WorkflowFailedException.class);
            assertThat(lateStore.finishedOutcome().state()).isEqualTo(JobState.CANCELED);
        } finally {
            late.close();
        }
    }

    @Test
    void commandRefusedByTheAgentEndsRefusedWithItsReason() {
        agent.willRun(invocation -> {
            throw ApplicationFailure.newNonRetryableFailure(
                    "/usr/bin/echo is not on this agent's allowlist", CommandActivities.COMMAND_REFUSED);
        });

        JobOutcome outcome = newJob().run(request(AGENT_ID));

        assertThat(outcome.state()).isEqualTo(JobState.REFUSED);
        assertThat(store.runOutcome().error()).isEqualTo("/usr/bin/echo is not on this agent's allowlist");
    }

    @Test
    void commandGoesOnlyToTheTargetAgentsQueue() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "", ""));

        newJob().run(request(AGENT_ID));

        assertThat(agent.invocations()).hasSize(1);
        assertThat(otherAgent.invocations()).isEmpty();
    }

    @Test
    void secondStartOfTheSameJobIsRejected() {
        // Its agent never answers, so the first run is still open when the second start arrives.
        JobWorkflow first = newJob();
        WorkflowClient.start(first::run, request(OFFLINE_AGENT_ID));

        JobWorkflow second = newJob();

        assertThatThrownBy(() -> WorkflowClient.start(second::run, request(OFFLINE_AGENT_ID)))
                .isInstanceOf(WorkflowExecutionAlreadyStarted.class);
    }

    @Test
    void statusIsDispatchedWhileTheCommandRuns() throws InterruptedException {
        agent.willRun(heartbeatUntilTheRunEnds());
        JobWorkflow job = newJob();
        WorkflowClient.start(job::run, request(AGENT_ID));
        awaitCommandStarted();

        assertThat(job.status()).isEqualTo(JobState.DISPATCHED);
    }

    private void awaitCommandStarted() throws InterruptedException {
        assertThat(commandStarted.await(10, TimeUnit.SECONDS)).as("command started on the agent").isTrue();
    }

    /** Like a real agent: heartbeats progress until the heartbeat reports that the run is over. */
    private ScriptedAgent.Script heartbeatUntilTheRunEnds() {
        return invocation -> {
            commandStarted.countDown();
            try {
                while (true) {
                    Activity.getExecutionContext().heartbeat(new CommandProgress(1_000L, 0L, 0L, ""));
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                agentSawRunEnd.complete(e);
                throw e;
            }
        };
    }

    private static JobOutcome awaitResult(JobWorkflow job) throws TimeoutException {
        return WorkflowStub.fromTyped(job).getResult(10, TimeUnit.SECONDS, JobOutcome.class);
    }

    private JobWorkflow newJob() {
        return newJob(env);
    }

    private static JobWorkflow newJob(TestWorkflowEnvironment environment) {
        return environment.getWorkflowClient().newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.jobWorkflowId(JOB_ID))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    }

    private static JobRequest request(String agentId) {
        return request(agentId, GENEROUS_SECONDS, GENEROUS_SECONDS);
    }

    private static JobRequest request(String agentId, long agentWaitSeconds, long heartbeatTimeoutSeconds) {
        return new JobRequest(JOB_ID, List.of(RunTarget.of(agentId)), ECHO, 30, agentWaitSeconds, heartbeatTimeoutSeconds,
                65_536, 0, 0, 0, RetrySpec.NONE);
    }

    private TestWorkflowEnvironment newEnvironment(RecordingJobStore jobStore) {
        TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();
        Worker orchestrator = environment.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(JobWorkflowImpl.class, RunWorkflowImpl.class);
        orchestrator.registerActivitiesImplementations(jobStore);
        // A real agent heartbeats far more often than it reaches the server; sending every heartbeat
        // lets a cancellation reach the scripted agent at once.
        WorkerOptions agentOptions = WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build();
        environment.newWorker(TaskQueues.forAgent(AGENT_ID), agentOptions).registerActivitiesImplementations(agent);
        environment.newWorker(TaskQueues.forAgent(OTHER_AGENT_ID), agentOptions)
                .registerActivitiesImplementations(otherAgent);
        environment.newWorker(TaskQueues.forAgent(BUSY_AGENT_ID), WorkerOptions.newBuilder(agentOptions)
                .setMaxConcurrentActivityExecutionSize(1).build())
                .registerActivitiesImplementations(busyAgent);
        return environment;
    }
}
