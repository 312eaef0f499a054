package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobWorkflow;
import io.mamos.workflows.RetrySpec;
import io.mamos.workflows.RunTarget;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.*;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An attacker who owns one enrolled agent (its genuine credential) and reaches the agent gateway,
 * the only Temporal endpoint agents are given, tries everything a raw Temporal client could do:
 * poll the victim agent's or the orchestrator's queue, start, list, describe and read workflows,
 * signal, cancel or terminate a running job, answer for a task it was never given, and carry on after
 * being decommissioned. Each is refused (PERMISSION_DENIED, or UNAUTHENTICATED without a valid
 * credential), no process starts (a marker file would show it), the store does not change, and the
 * victim's genuine jobs keep running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayAttackIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);
    private static final Path MARKERS = Metrics.markerFolder("gateway-markers");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent()
            .withOrchestratorEnv("MAMOS_POLICY_FILE", policy().toString())
            .withEnrollEnv("MAMOS_AGENT_ALLOW", "/usr/bin/echo,/usr/bin/sleep,/usr/bin/touch");

    private static String attackerId;
    private static String attackerCredential;
    private static String gatewayTarget;
    private static ManagedChannel channel;
    private static String finishedWorkflowId;

    @BeforeAll
    static void enrollTheAttackersAgent() {
        JsonNode enrolled = mamos.api().enroll(mamos.api().createEnrollmentToken()).expect(201);
        attackerId = enrolled.path("agentId").asString();
        attackerCredential = enrolled.path("credential").asString();
        gatewayTarget = enrolled.path("temporalTarget").asString();
        channel = NettyChannelBuilder.forTarget(gatewayTarget).usePlaintext().build();
        finishedWorkflowId = genuineTouch(MARKERS.resolve("before-the-attacks")).path("workflowId").asString();
    }

    @AfterAll
    static void closeChannel() throws InterruptedException {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void enrollmentHandsOutTheGatewayNotTemporal() {
        assertThat(gatewayTarget).isEqualTo(mamos.orchestrator().gatewayTarget())
                .isNotEqualTo(mamos.temporal().target());
        assertThat(Files.exists(mamos.agentConfig())).isTrue();
        assertThat(read(mamos.agentConfig())).contains("temporal.target=" + gatewayTarget);
    }

    @Test
    @Order(2)
    void withoutAnAgentCredentialEveryCallIsUnauthenticated() {
        String adminAccessToken = mamos.anonymousApi().post("/api/v1/auth/token", Map.of("username", "admin",
                "password", mamos.orchestrator().adminPassword())).expect(200).path("accessToken").asString();
        for (var stub : List.of(WorkflowServiceGrpc.newBlockingStub(channel), as("mamos_ac_guessed"),
                as(adminAccessToken))) {
            assertRefused(Status.Code.UNAUTHENTICATED, () -> stub.getSystemInfo(GetSystemInfoRequest.getDefaultInstance()));
            assertRefused(Status.Code.UNAUTHENTICATED, () -> stub.listWorkflowExecutions(
                    ListWorkflowExecutionsRequest.newBuilder().setNamespace("default").build()));
        }
    }

    @Test
    @Order(3)
    void aGenuineAgentCredentialReachesNothingButItsOwnQueueAndTheStoreDoesNotChange() throws Exception {
        var before = StoreSnapshot.of(mamos.orchestratorDataDir());
        var attacker = as(attackerCredential);
        Path marker = MARKERS.resolve("forged-start");
        var finished = WorkflowExecution.newBuilder().setWorkflowId(finishedWorkflowId).build();

        // Another agent's queue, the orchestrator's queues, a sticky queue.
        assertDenied(() -> attacker.pollActivityTaskQueue(activityPoll(TaskQueues.forAgent(mamos.agentId()))));
        assertDenied(() -> attacker.pollActivityTaskQueue(activityPoll(TaskQueues.ORCHESTRATOR)));
        assertDenied(() -> attacker.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace("default").setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.ORCHESTRATOR)).build()));
        assertDenied(() -> attacker.pollActivityTaskQueue(activityPoll(TaskQueues.forAgent(attackerId)).toBuilder()
                .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.forAgent(attackerId))
                        .setKind(TaskQueueKind.TASK_QUEUE_KIND_STICKY)).build()));
        // Start a job workflow of its own with a command the API never planned, through the stock SDK client.
        assertDenied(() -> startForgedJob(marker));
        // Read the namespace: list, describe, histories.
        assertDenied(() -> attacker.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace("default").build()));
        assertDenied(() -> attacker.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace("default").setExecution(finished).build()));
        assertDenied(() -> attacker.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace("default").setExecution(finished).build()));
        assertDenied(() -> attacker.describeTaskQueue(DescribeTaskQueueRequest.newBuilder().setNamespace("default")
                .setTaskQueue(TaskQueue.newBuilder().setName(TaskQueues.forAgent(mamos.agentId()))).build()));
        // Answer for tasks it was never handed.
        ByteString notGiven = ByteString.copyFromUtf8("a task token the gateway never handed out");
        assertDenied(() -> attacker.respondActivityTaskCompleted(RespondActivityTaskCompletedRequest.newBuilder()
                .setNamespace("default").setTaskToken(notGiven).build()));
        assertDenied(() -> attacker.recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest.newBuilder()
                .setNamespace("default").setTaskToken(notGiven).build()));
        assertDenied(() -> attacker.respondActivityTaskFailedById(RespondActivityTaskFailedByIdRequest.newBuilder()
                .setNamespace("default").setWorkflowId(finishedWorkflowId).setActivityId("1").build()));

        Poll.sleep(Duration.ofSeconds(3));
        assertThat(marker).as("nothing ran the forged command").doesNotExist();
        assertThat(StoreSnapshot.of(mamos.orchestratorDataDir())).isEqualTo(before);
        assertThat(Metrics.scrape(mamos.orchestrator().baseUrl() + "/metrics"))
                .as("denials are counted").containsPattern("mamos_gateway_calls_total\\{[^}]*outcome=\"denied\"");
    }

    @Test
    @Order(4)
    void aGenuineAgentCredentialCannotSignalCancelOrTerminateARunningJob() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("6"), 60);
        JsonNode running = mamos.api().awaitJobState(jobId, java.util.Set.of("RUNNING"), JOB_END);
        var execution = WorkflowExecution.newBuilder().setWorkflowId(running.path("workflowId").asString()).build();
        var attacker = as(attackerCredential);

        assertDenied(() -> attacker.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace("default").setWorkflowExecution(execution).setSignalName("cancelRequested").build()));
        assertDenied(() -> attacker.requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                .setNamespace("default").setWorkflowExecution(execution).build()));
        assertDenied(() -> attacker.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                .setNamespace("default").setWorkflowExecution(execution).setReason("attack").build()));

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
    }

    @Test
    @Order(5)
    void decommissioningCutsTheAgentsOpenPollWithinASecondAndRefusesItsNextCall() throws Exception {
        // Its queue holds its liveness check-in from enrollment: polls answer at once until that is taken.
        var pendingPoll = ownPoll();
        for (int answered = 0; answered < 3; answered++) {
            Poll.sleep(Duration.ofSeconds(2));
            if (!pendingPoll.isDone()) {
                break;
            }
            System.err.println("[e2e] gateway: the attacker's own poll was answered: " + outcome(pendingPoll));
            pendingPoll = ownPoll();
        }
        assertThat(pendingPoll.isDone()).as("its own queue's long poll is open, not ended: %s", outcome(pendingPoll))
                .isFalse();
        var openPoll = pendingPoll;

        mamos.api().post("/api/v1/agents/" + attackerId + "/decommission", Map.of()).expect(200);
        long decommissioned = System.nanoTime();

        assertThatThrownBy(() -> openPoll.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        Duration cut = Duration.ofNanos(System.nanoTime() - decommissioned);
        System.err.printf("[e2e] gateway: decommission -> open poll cut in %d ms%n", cut.toMillis());
        assertThat(cut).isLessThan(Duration.ofSeconds(1));
        assertRefused(Status.Code.UNAUTHENTICATED,
                () -> as(attackerCredential).pollActivityTaskQueue(activityPoll(TaskQueues.forAgent(attackerId))));
    }

    @Test
    @Order(6)
    void theVictimsGenuineJobsStillRun() {
        Path marker = MARKERS.resolve("after-the-attacks");
        genuineTouch(marker);
        assertThat(marker).exists();
    }

    private static JsonNode genuineTouch(Path marker) {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "touch", List.of(marker.toString()), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("genuine job %s", job).isEqualTo("SUCCEEDED");
        return job;
    }

    /** The stock SDK client, through the gateway with the attacker's genuine credential. */
    private static void startForgedJob(Path marker) {
        WorkflowServiceStubs stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(gatewayTarget).addApiKey(() -> attackerCredential)
                // An API key turns TLS on unless told otherwise; this gateway is plaintext.
                .setEnableHttps(false).build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(stubs,
                    WorkflowClientOptions.newBuilder().setNamespace("default").build());
            String jobId = UUID.randomUUID().toString();
            JobWorkflow job = client.newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                    .setWorkflowId("job-" + jobId).setTaskQueue(TaskQueues.ORCHESTRATOR)
                    .setWorkflowExecutionTimeout(Duration.ofMinutes(1)).build());
            WorkflowClient.start(job::run, new JobRequest(jobId, List.of(RunTarget.of(mamos.agentId())),
                    new CommandSpec("touch", "/usr/bin/touch", List.of(marker.toString())), 30, 30, 10, 4096, 1, 0, 0,
                    RetrySpec.NONE));
        } catch (io.temporal.client.WorkflowServiceException e) {
            throw e.getCause() instanceof StatusRuntimeException status ? status : e;
        } finally {
            stubs.shutdownNow();
        }
    }

    private static WorkflowServiceGrpc.WorkflowServiceBlockingStub as(String credential) {
        return WorkflowServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(credential)))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static com.google.common.util.concurrent.ListenableFuture<PollActivityTaskQueueResponse> ownPoll() {
        return WorkflowServiceGrpc.newFutureStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(attackerCredential)))
                .pollActivityTaskQueue(activityPoll(TaskQueues.forAgent(attackerId)));
    }

    private static String outcome(java.util.concurrent.Future<?> call) {
        if (!call.isDone()) {
            return "still open";
        }
        try {
            return "answered " + call.get();
        } catch (java.util.concurrent.ExecutionException e) {
            return "failed " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Metadata bearer(String credential) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + credential);
        return headers;
    }

    private static PollActivityTaskQueueRequest activityPoll(String queue) {
        return PollActivityTaskQueueRequest.newBuilder().setNamespace("default").setIdentity("mamos-orchestrator@host")
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build();
    }

    private static void assertDenied(ThrowingCallable call) {
        assertRefused(Status.Code.PERMISSION_DENIED, call);
    }

    private static void assertRefused(Status.Code code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(code));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path policy() {
        return MarkerPolicy.write(MARKERS, """
                  sleep:
                    description: Wait (test only)
                    executable: /usr/bin/sleep
                    minArgs: 1
                    args:
                      - name: seconds
                        pattern: "[0-9]{1,2}"
                """);
    }
}
