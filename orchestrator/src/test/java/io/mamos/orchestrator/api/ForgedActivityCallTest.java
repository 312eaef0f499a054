package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.CallerExecution;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.job.CommandSigner;
import io.mamos.workflows.AgentStoreActivities;
import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobStoreActivities;
import io.mamos.workflows.RetrySpec;
import io.mamos.workflows.RunOutcome;
import io.mamos.workflows.SystemSnapshot;
import io.mamos.workflows.TaskQueues;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator's own activities called as a workflow the store did not plan would call them:
 * from another workflow, from a later run under the job's workflow id, for an unplanned job,
 * attempt or command. Each call is refused (non-retryable), changes no row, is audited and counted.
 * The activities are called directly on the test's thread, as Temporal's worker would call them,
 * with the caller Temporal would have recorded; genuine jobs, submitted through the API, run
 * meanwhile on the orchestrator's real worker against a real Temporal endpoint and SQLite file.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ForgedActivityCallTest.ScriptedCallerConfig.class)
class ForgedActivityCallTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-forged-call-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.enrollment.failed-attempts-per-minute", () -> "1000");
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;
    @Autowired
    JsonMapper json;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    JobStoreActivities store;
    @Autowired
    AgentStoreActivities agentStore;
    @Autowired
    ScriptedCallers callers;
    @Autowired
    MeterRegistry registry;
    @Autowired
    CommandSigner signer;

    private TestApi api;
    private String adminToken;
    private String agentId;
    private String jobId;
    private String workflowId;
    private String runId;

    @BeforeEach
    void submitAGenuineJobThatWaitsForItsAgent() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        String password = Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
        adminToken = api.read(api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}")).get("accessToken").asString();
        agentId = api.enrollAgent(adminToken, "forge-target").get("agentId").asString();
        JsonNode job = api.read(api.send("POST", "/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"planned\"]}"));
        jobId = job.get("id").asString();
        workflowId = job.get("workflowId").asString();
        // The genuine workflow dispatched attempt 1 and had it signed; the agent never polls, so it waits.
        awaitTrue("job " + jobId + " dispatched and signed", () -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM job_runs WHERE job_id = ? AND state = 'DISPATCHED' AND signed_attempt = 1",
                Long.class, jobId) == 1);
        runId = jdbc.queryForObject("SELECT workflow_run_id FROM jobs WHERE id = ?", String.class, jobId);
    }

    @Test
    void argumentOtherThanTheCheckedOneIsNotSignedEvenForTheJobsOwnRun() {
        CommandInvocation shadow = invocation(1, new CommandSpec("echo", "/usr/bin/echo", List.of("/etc/shadow")),
                60, 65536);

        assertRefused("PrepareInvocation", new Caller("PrepareInvocation", workflowId, runId),
                () -> store.prepareInvocation(shadow, 60));
    }

    @Test
    void longerTimeoutOrLargerOutputCapIsNotSigned() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        Caller own = new Caller("PrepareInvocation", workflowId, runId);

        assertRefused("PrepareInvocation", own, () -> store.prepareInvocation(invocation(1, planned, 86_400, 65536), 60));
        assertRefused("PrepareInvocation", own, () -> store.prepareInvocation(invocation(1, planned, 60, 1 << 30), 60));
    }

    @Test
    void attemptThatWasNeverDispatchedIsNotSigned() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));

        assertRefused("PrepareInvocation", new Caller("PrepareInvocation", workflowId, runId),
                () -> store.prepareInvocation(invocation(2, planned, 60, 65536), 60));
    }

    @Test
    void theJobsOwnRunAskingAgainGetsTheSameInvocationValidOnlyForItsPlannedWait() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        callers.script(new Caller("PrepareInvocation", workflowId, runId), null);
        try {
            CommandInvocation first = store.prepareInvocation(invocation(1, planned, 60, 65536), 7 * 24 * 3600);
            CommandInvocation again = store.prepareInvocation(invocation(1, planned, 60, 65536), 7 * 24 * 3600);

            assertThat(again).isEqualTo(first);
            assertThat(first.nonce()).isEqualTo(jdbc.queryForObject(
                    "SELECT signed_nonce FROM job_runs WHERE job_id = ?", String.class, jobId));
            // The configured agent wait (60 s) plus 30 s slack, whatever the workflow asked for.
            assertThat(first.expiresAtMillis() - first.issuedAtMillis()).isEqualTo(90_000);
        } finally {
            callers.clear();
        }
    }

    @Test
    void signingForAnotherWorkflowIsRefused() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));

        assertRefused("PrepareInvocation", new Caller("PrepareInvocation", "forged-" + jobId, "r1"),
                () -> store.prepareInvocation(invocation(1, planned, 60, 65536), 60));
    }

    @Test
    void laterRunUnderTheJobsWorkflowIdIsRefused() {
        assertRefused("RunDispatched", new Caller("RunDispatched", workflowId, "a-later-run"),
                () -> store.runDispatched(jobId, agentId, 2, System.currentTimeMillis()));
    }

    @Test
    void jobThatWasNeverPlannedIsRefused() {
        String unplanned = java.util.UUID.randomUUID().toString();
        CommandInvocation asked = CommandInvocation.unsigned(unplanned, agentId, 1,
                new CommandSpec("cat", "/usr/bin/cat", List.of("/etc/shadow")), 60, 65536);

        assertRefused("PrepareInvocation", new Caller("PrepareInvocation", TaskQueues.jobWorkflowId(unplanned), "r"),
                () -> store.prepareInvocation(asked, 60), unplanned);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs WHERE id = ?", Long.class, unplanned)).isZero();
    }

    @Test
    void attemptBeyondTheRetryPolicyAndItsResendsIsRefusedEvenFromItsOwnRun() {
        int beyond = RetrySpec.highestAttempt(1) + 1;

        assertRefused("RunDispatched", new Caller("RunDispatched", workflowId, runId),
                () -> store.runDispatched(jobId, agentId, beyond, System.currentTimeMillis()));
    }

    @Test
    void resendOfACommandItsAgentNeverReceivedIsDispatchedAndSignedAnew() {
        // The job has no retry (1 attempt); the workflow sends attempt 2 only when the agent proved
        // it never received attempt 1, which therefore never ran.
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        String firstNonce = jdbc.queryForObject("SELECT signed_nonce FROM job_runs WHERE job_id = ?", String.class,
                jobId);

        CommandInvocation resend;
        try {
            callers.script(new Caller("RunDispatched", workflowId, runId), null);
            store.runDispatched(jobId, agentId, 2, System.currentTimeMillis());
            callers.script(new Caller("PrepareInvocation", workflowId, runId), null);
            resend = store.prepareInvocation(invocation(2, planned, 60, 65536), 60);
        } finally {
            callers.clear();
        }

        assertThat(resend.attempt()).isEqualTo(2);
        assertThat(resend.nonce()).isNotEqualTo(firstNonce);
        assertThat(jdbc.queryForObject("SELECT signed_attempt FROM job_runs WHERE job_id = ?", Integer.class, jobId))
                .isEqualTo(2);
    }

    @Test
    void unpickedCommandOfAnOnlineAgentIsSignedAgainOnlyOnceItsSignatureExpired() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        jdbc.update("UPDATE agents SET status = 'ONLINE' WHERE id = ?", agentId);
        callers.script(new Caller("PrepareInvocation", workflowId, runId), null);
        try {
            CommandInvocation first = store.prepareInvocation(invocation(1, planned, 60, 65536), 60);

            // Still valid: the answer is the attempt's current signature, and nothing changes.
            callers.script(new Caller("ResignForWaitingRun", workflowId, runId), null);
            assertThat(store.resignForWaitingRun(first)).isEqualTo(first);

            jdbc.update("UPDATE job_runs SET signed_expires_at = ? WHERE job_id = ?",
                    System.currentTimeMillis() - 1, jobId);
            CommandInvocation again = store.resignForWaitingRun(first);

            assertThat(again.attempt()).isEqualTo(1);
            assertThat(again.command()).isEqualTo(planned);
            assertThat(again.nonce()).isNotEqualTo(first.nonce());
            assertThat(again.signature()).isNotEqualTo(first.signature());
            assertThat(again.expiresAtMillis() - again.issuedAtMillis()).isEqualTo(90_000);
            assertThat(jdbc.queryForObject("SELECT signed_nonce FROM job_runs WHERE job_id = ?", String.class, jobId))
                    .isEqualTo(again.nonce());
            // Asked again about the first (its answer lost in a crash): the current one, not a third.
            assertThat(store.resignForWaitingRun(first)).isEqualTo(again);
        } finally {
            callers.clear();
        }
    }

    @Test
    void unpickedCommandOfAnAgentOfflineForTheOfflineWaitIsNotSignedAgain() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        jdbc.update("UPDATE agents SET status = 'OFFLINE', went_offline_at = ? WHERE id = ?",
                System.currentTimeMillis() - 61_000, agentId);
        jdbc.update("UPDATE job_runs SET signed_expires_at = ? WHERE job_id = ?", System.currentTimeMillis() - 1, jobId);
        String nonce = jdbc.queryForObject("SELECT signed_nonce FROM job_runs WHERE job_id = ?", String.class, jobId);
        callers.script(new Caller("ResignForWaitingRun", workflowId, runId), null);
        try {
            CommandInvocation first = invocation(1, planned, 60, 65536).signed(0, 1, nonce, "x");

            assertThat(store.resignForWaitingRun(first)).isNull();

            // Offline for less than the job's 60 s offline wait: it may yet come back, so the run waits on.
            jdbc.update("UPDATE agents SET went_offline_at = ? WHERE id = ?", System.currentTimeMillis() - 5_000,
                    agentId);
            assertThat(store.resignForWaitingRun(first)).isNotNull();
        } finally {
            callers.clear();
        }
    }

    @Test
    void resigningForAnotherWorkflowOrAnotherCommandIsRefused() {
        CommandSpec planned = new CommandSpec("echo", "/usr/bin/echo", List.of("planned"));
        jdbc.update("UPDATE agents SET status = 'ONLINE' WHERE id = ?", agentId);
        jdbc.update("UPDATE job_runs SET signed_expires_at = ? WHERE job_id = ?", System.currentTimeMillis() - 1, jobId);
        String nonce = jdbc.queryForObject("SELECT signed_nonce FROM job_runs WHERE job_id = ?", String.class, jobId);
        CommandInvocation previous = invocation(1, planned, 60, 65536).signed(0, 1, nonce, "x");
        CommandInvocation shadow = invocation(1, new CommandSpec("cat", "/usr/bin/cat", List.of("/etc/shadow")), 60,
                65536).signed(0, 1, nonce, "x");

        assertRefused("ResignForWaitingRun", new Caller("ResignForWaitingRun", "forged-" + jobId, "r1"),
                () -> store.resignForWaitingRun(previous));
        assertRefused("ResignForWaitingRun", new Caller("ResignForWaitingRun", workflowId, runId),
                () -> store.resignForWaitingRun(shadow));
        assertRefused("ResignForWaitingRun", new Caller("ResignForWaitingRun", workflowId, runId),
                () -> store.resignForWaitingRun(invocation(2, planned, 60, 65536).signed(0, 1, nonce, "x")));
    }

    @Test
    void awaitTicketIsSignedForThePlannedWorkflowRunsSignedAttemptInFlightOnly() {
        callers.script(new Caller("AwaitTicket", workflowId, runId), null);
        AwaitTicket ticket;
        try {
            ticket = store.awaitTicket(jobId, agentId, 1);
        } finally {
            callers.clear();
        }
        assertThat(ticket.workflowId()).isEqualTo(workflowId);
        assertThat(ticket.runId()).isEqualTo(runId);
        assertThat(ticket.agentId()).isEqualTo(agentId);
        assertThat(ticket.attempt()).isEqualTo(1);
        assertThat(ticket.expiresAtMillis() - ticket.issuedAtMillis()).isEqualTo(90_000);
        assertThat(CommandSignatures.verify(ticket, CommandSignatures.publicKey(signer.publicKeyBase64()))).isTrue();

        // A later run under the job's workflow id (started once the genuine one ended), another
        // workflow, an attempt never signed, and the same attempt once its run ended.
        assertRefused("AwaitTicket", new Caller("AwaitTicket", workflowId, "a-later-run"),
                () -> store.awaitTicket(jobId, agentId, 1));
        assertRefused("AwaitTicket", new Caller("AwaitTicket", "forged-" + jobId, "r1"),
                () -> store.awaitTicket(jobId, agentId, 1));
        assertRefused("AwaitTicket", new Caller("AwaitTicket", workflowId, runId),
                () -> store.awaitTicket(jobId, agentId, 2));
        jdbc.update("UPDATE job_runs SET state = 'SUCCEEDED' WHERE job_id = ?", jobId);
        assertRefused("AwaitTicket", new Caller("AwaitTicket", workflowId, runId),
                () -> store.awaitTicket(jobId, agentId, 1));
    }

    @Test
    void aJobEndingWithARunThatRecordedNoEndEndsThatRunToo() {
        // As when the run's own final write was refused or failed: its job must not end with it RUNNING.
        try {
            callers.script(new Caller("JobFinished", workflowId, runId), null);
            store.jobFinished(new JobOutcome(jobId, JobState.FAILED, "ended", System.currentTimeMillis()));
        } finally {
            callers.clear();
        }

        Map<String, Object> run = jdbc.queryForMap("SELECT state, error, finished_at FROM job_runs WHERE job_id = ?",
                jobId);
        assertThat(run.get("state")).isEqualTo("FAILED");
        assertThat((String) run.get("error")).contains("its result is unknown");
        assertThat(run.get("finished_at")).isNotNull();
    }

    @Test
    void resultFromAnotherRunIsNotRecorded() {
        RunOutcome fake = new RunOutcome(jobId, agentId, 1, JobState.SUCCEEDED, 0, "root:x:0:0", "", false, null,
                System.currentTimeMillis(), System.currentTimeMillis());

        assertRefused("RunFinished", new Caller("RunFinished", workflowId, "a-later-run"), () -> store.runFinished(fake));
    }

    @Test
    void endOfAJobFromAnotherWorkflowIsNotRecorded() {
        assertRefused("JobFinished", new Caller("JobFinished", "forged", "r"),
                () -> store.jobFinished(new JobOutcome(jobId, JobState.SUCCEEDED, null, System.currentTimeMillis())));
        assertRefused("RunsNotStarted", new Caller("RunsNotStarted", "forged", "r"),
                () -> store.runsNotStarted(jobId, List.of(agentId), JobState.SKIPPED, "x", System.currentTimeMillis()));
    }

    @Test
    void childRunNotStartedByTheJobsRunIsRefused() throws Exception {
        String second = api.enrollAgent(adminToken, "forge-second").get("agentId").asString();
        JsonNode fanOut = api.read(api.send("POST", "/api/v1/jobs", adminToken, "{\"targets\":{\"agentIds\":[\""
                + agentId + "\",\"" + second + "\"]},\"command\":\"echo\",\"args\":[\"x\"],\"concurrency\":1}"));
        String fanOutId = fanOut.get("id").asString();
        String childId = TaskQueues.runWorkflowId(fanOutId, second);
        callers.script(new Caller("RunDispatched", childId, "attackers-run"),
                new CallerExecution("attackers-run", "attackers-parent", "p", true));

        assertRefused("RunDispatched", null, () -> store.runDispatched(fanOutId, second, 1, System.currentTimeMillis()),
                fanOutId);
    }

    @Test
    void livenessWriteFromAWorkflowTheOrchestratorDidNotStartIsRefused() {
        awaitTrue("the liveness workflow's start recorded", () -> jdbc.queryForObject(
                "SELECT liveness_run_id FROM agents WHERE id = ?", String.class, agentId) != null);
        callers.script(new Caller("AgentOnline", TaskQueues.agentWorkflowId(agentId), "fake-run"),
                new CallerExecution("fake-run", null, null, true));
        SystemSnapshot snapshot = new SystemSnapshot("fake", "linux", "1", "cpu", 1, 0, 0, 1, 1, List.of(), 1,
                "fake", 0, "169.254.169.254:80", System.currentTimeMillis(), true);

        assertRefused("AgentOnline", null, () -> agentStore.agentOnline(agentId, snapshot, System.currentTimeMillis()),
                agentId);
        callers.script(new Caller("AgentOffline", TaskQueues.agentWorkflowId("another-agent"), "r"), null);
        assertRefused("AgentOffline", null, () -> agentStore.agentOffline(agentId, System.currentTimeMillis(), "x"),
                agentId);
    }

    private CommandInvocation invocation(int attempt, CommandSpec command, long timeout, int cap) {
        return CommandInvocation.unsigned(jobId, agentId, attempt, command, timeout, cap);
    }

    private void assertRefused(String activity, Caller caller, Runnable call) {
        assertRefused(activity, caller, call, jobId);
    }

    /** Runs {@code call} as {@code caller} (or as already scripted) and checks the refusal left nothing behind. */
    private void assertRefused(String activity, Caller caller, Runnable call, String target) {
        if (caller != null) {
            callers.script(caller, null);
        }
        Map<String, List<Map<String, Object>>> before = rows(target);
        long audited = audited(activity);
        double counted = counted(activity);
        try {
            assertThatThrownBy(call::run).isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
                assertThat(failure.getType()).isEqualTo(Callers.FORGED_CALL);
                assertThat(failure.isNonRetryable()).isTrue();
            });
        } finally {
            callers.clear();
        }
        assertThat(rows(target)).as("the store").isEqualTo(before);
        assertThat(audited(activity)).as("audited").isEqualTo(audited + 1);
        assertThat(jdbc.queryForObject("SELECT target FROM audit_events WHERE action = ? ORDER BY id DESC LIMIT 1",
                String.class, "activity.refused." + activity)).isEqualTo(target);
        assertThat(counted(activity)).as("mamos_forged_activity_calls_total").isEqualTo(counted + 1);
    }

    /** The rows a refused call could have touched: the job's, its runs', the agent's. */
    private Map<String, List<Map<String, Object>>> rows(String job) {
        return Map.of("jobs", jdbc.queryForList("SELECT * FROM jobs WHERE id IN (?, ?) ORDER BY id", jobId, job),
                "job_runs", jdbc.queryForList("SELECT * FROM job_runs WHERE job_id IN (?, ?) ORDER BY job_id,"
                        + " agent_id", jobId, job),
                "agents", jdbc.queryForList("SELECT id, status, snapshot_json, last_seen_at, liveness_run_id,"
                        + " went_offline_at FROM agents WHERE id = ?", agentId));
    }

    private long audited(String activity) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE action = ?", Long.class,
                "activity.refused." + activity);
    }

    private double counted(String activity) {
        var counter = registry.find("mamos.forged.activity.calls").tag("activity", activity).counter();
        return counter == null ? 0 : counter.count();
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Callers as Temporal would have recorded them, for calls made on the test's own thread. */
    static class ScriptedCallers extends Callers {

        private final ThreadLocal<Caller> caller = new ThreadLocal<>();
        private final ThreadLocal<CallerExecution> execution = new ThreadLocal<>();

        ScriptedCallers(WorkflowClient client, MamosProperties properties, AuditLog audit, MeterRegistry registry) {
            super(client, properties, audit, registry);
        }

        void script(Caller as, CallerExecution described) {
            caller.set(as);
            execution.set(described);
        }

        void clear() {
            caller.remove();
            execution.remove();
        }

        @Override
        public Caller current() {
            return caller.get() != null ? caller.get() : super.current();
        }

        @Override
        public CallerExecution describe(Caller of) {
            return execution.get() != null ? execution.get() : super.describe(of);
        }
    }

    @TestConfiguration
    static class ScriptedCallerConfig {
        @Bean
        @Primary
        ScriptedCallers scriptedCallers(WorkflowClient client, MamosProperties properties, AuditLog audit,
                MeterRegistry registry) {
            return new ScriptedCallers(client, properties, audit, registry);
        }
    }
}
