package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.job.JobReconciler;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs whose workflow Temporal closed without the workflow recording the end (an operator
 * terminated it, it passed its execution timeout) end in the store, with Temporal's reason, in
 * one reconciler pass; cancelling such a job answers 409. Real SQLite store, real Temporal gRPC
 * endpoint (the SDK's test server); the job's agent is enrolled but never polls, so the job waits.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JobReconcilerTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-reconciler-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        // Passes run only when the test asks for one.
        registry.add("mamos.jobs.reconcile-interval", () -> "1h");
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
    JobReconciler reconciler;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private TestApi api;
    private String adminToken;
    private String agentId;
    private WorkflowClient operator;

    @BeforeEach
    void setUp() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        String password = Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
        adminToken = api.read(api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}")).get("accessToken").asString();
        agentId = api.enrollAgent(adminToken, "never-polls-" + System.nanoTime()).get("agentId").asString();
        // Temporal as an operator reaches it (CLI, Web UI): not through the orchestrator.
        operator = WorkflowClient.newInstance(WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(BACKENDS.temporalTarget()).build()));
    }

    @Test
    void jobWhoseWorkflowWasTerminatedEndsFailedWithTheReasonInOnePass() {
        String jobId = submit();
        operator.newUntypedWorkflowStub(TaskQueues.jobWorkflowId(jobId)).terminate("stuck, cleaning up");

        reconciler.reconcileOnce();

        JsonNode job = job(jobId);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("FAILED");
        assertThat(job.path("error").asString()).contains("terminated in Temporal", "stuck, cleaning up");
        assertThat(job.path("finishedAt").asString()).isNotBlank();
        JsonNode run = runs(jobId).path("items").get(0);
        assertThat(run.path("state").asString()).as("run %s", run).isEqualTo("FAILED");
        assertThat(run.path("error").asString()).contains("terminated in Temporal");
    }

    @Test
    void jobWhoseWorkflowPassedItsExecutionTimeoutEndsTimedOutInOnePass() throws Exception {
        String jobId = submit();
        String workflowId = TaskQueues.jobWorkflowId(jobId);
        // A job's own execution timeout is its timeouts plus an hour: stand in a run of the same
        // workflow with a second's timeout, on a queue no worker polls, and let it expire.
        operator.newUntypedWorkflowStub(workflowId).terminate("replaced by a run that expires");
        WorkflowStub expiring = operator.newUntypedWorkflowStub("JobWorkflow", WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue("nobody-polls")
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setWorkflowExecutionTimeout(Duration.ofSeconds(1))
                .build());
        String standIn = expiring.start().getRunId();
        // The reconciler reads the run the orchestrator started (PlannedRuns): point the job's
        // record at the stand-in, as if the orchestrator had started that one.
        jdbc.update("UPDATE jobs SET workflow_run_id = ? WHERE id = ?", standIn, jobId);
        try {
            expiring.getResult(30, TimeUnit.SECONDS, Object.class);
        } catch (RuntimeException | java.util.concurrent.TimeoutException expected) {
            // WorkflowFailedException with a timeout as its cause.
        }

        reconciler.reconcileOnce();

        JsonNode job = job(jobId);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("TIMED_OUT");
        assertThat(job.path("error").asString()).contains("execution timeout of 1s");
    }

    @Test
    void cancelOfAJobWhoseWorkflowIsClosedAnswers409AndRecordsTheEnd() {
        String jobId = submit();
        operator.newUntypedWorkflowStub(TaskQueues.jobWorkflowId(jobId)).terminate("gone");

        var response = api.send("POST", "/api/v1/jobs/" + jobId + "/cancel", adminToken, null);

        assertThat(response.statusCode()).as("cancel: %s", response.body()).isEqualTo(409);
        api.assertProblem(response, "job-workflow-closed");
        assertThat(job(jobId).path("state").asString()).isEqualTo("FAILED");
    }

    @Test
    void jobWhoseWorkflowStillRunsIsLeftAlone() {
        String jobId = submit();

        reconciler.reconcileOnce();

        assertThat(job(jobId).path("state").asString()).isIn("QUEUED", "DISPATCHED");
    }

    private String submit() {
        var response = api.send("POST", "/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"hi\"],\"timeoutSeconds\":30}");
        assertThat(response.statusCode()).as("submit: %s", response.body()).isEqualTo(202);
        return api.read(response).path("id").asString();
    }

    private JsonNode job(String jobId) {
        return api.read(api.send("GET", "/api/v1/jobs/" + jobId, adminToken, null));
    }

    private JsonNode runs(String jobId) {
        return api.read(api.send("GET", "/api/v1/jobs/" + jobId + "/runs", adminToken, null));
    }
}
