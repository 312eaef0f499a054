package io.mamos.orchestrator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.TaskQueues;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.*;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway's call policy on a real gRPC server, in front of a fake Temporal that records every
 * call reaching it: what an agent may do, and that nothing else ever gets to Temporal.
 */
class AgentGatewayTest {

    private static final String NAMESPACE = "default";
    private static final String ALICE = "alice-id";
    private static final String BOB = "bob-id";
    private static final Map<String, String> CREDENTIALS = Map.of("mamos_ac_alice", ALICE, "mamos_ac_bob", BOB);

    private final List<String> reachedTemporal = new CopyOnWriteArrayList<>();
    private final List<ByteString> tokensAtTemporal = new CopyOnWriteArrayList<>();
    private final List<String> identitiesAtTemporal = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private volatile boolean pollsHang;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Server temporal;
    private ManagedChannel temporalChannel;
    private GatewayServer gateway;
    private ManagedChannel agentChannel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        temporal = InProcessServerBuilder.forName(name).addService(new FakeTemporal()).build().start();
        temporalChannel = InProcessChannelBuilder.forName(name).build();
        var settings = new MamosProperties.Gateway(true, "127.0.0.1", 0, null, new MamosProperties.Tls(null, null),
                Duration.ofSeconds(30), Duration.ofMillis(100));
        gateway = GatewayServer.create(settings, NAMESPACE, "fake", WorkflowServiceGrpc.newFutureStub(temporalChannel),
                new TaskTokens(new byte[32]), new GatewayCredentials.Store() {
                    @Override
                    public Optional<String> agentIdFor(String credential) {
                        String id = CREDENTIALS.get(credential);
                        return id == null || revoked.contains(id) ? Optional.empty() : Optional.of(id);
                    }

                    @Override
                    public List<String> revokedSince(Instant since) {
                        return List.copyOf(revoked);
                    }
                }, registry);
        gateway.start();
        agentChannel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        agentChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.stop();
        temporalChannel.shutdownNow();
        temporal.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void pollOfItsOwnQueueReachesTemporalUnderTheAuthenticatedIdentity() {
        var task = as("mamos_ac_alice").pollActivityTaskQueue(poll("mamos-agent-" + ALICE, "mamos-orchestrator@forged"));

        assertThat(reachedTemporal).containsExactly("PollActivityTaskQueue");
        assertThat(identitiesAtTemporal).containsExactly(AgentGatewayService.identity(ALICE));
        assertThat(task.getTaskToken()).isNotEqualTo(temporalToken("mamos-agent-" + ALICE));
        assertThat(task.getWorkflowExecution().getWorkflowId()).isEqualTo("job-1");
    }

    @Test
    void pollOfItsOwnLivenessQueueReachesTemporal() {
        var task = as("mamos_ac_alice").pollActivityTaskQueue(poll(TaskQueues.livenessForAgent(ALICE), "x"));

        assertThat(reachedTemporal).containsExactly("PollActivityTaskQueue");
        assertThat(identitiesAtTemporal).containsExactly(AgentGatewayService.identity(ALICE));
        assertThat(task.getTaskToken()).isNotEqualTo(temporalToken(TaskQueues.livenessForAgent(ALICE)));
    }

    @Test
    void pollOfAnotherAgentsQueueIsDeniedAndNeverReachesTemporal() {
        assertDenied(() -> as("mamos_ac_alice").pollActivityTaskQueue(poll("mamos-agent-" + BOB, "x")));
        assertDenied(() -> as("mamos_ac_alice").pollActivityTaskQueue(poll(TaskQueues.livenessForAgent(BOB), "x")));
        assertDenied(() -> as("mamos_ac_alice").pollActivityTaskQueue(poll("mamos-orchestrator", "x")));
        assertDenied(() -> as("mamos_ac_alice").pollActivityTaskQueue(
                poll("mamos-agent-" + ALICE, "x").toBuilder().setNamespace("other").build()));
        assertThat(reachedTemporal).isEmpty();
    }

    @Test
    void callsWithoutAValidCredentialAreUnauthenticated() {
        for (var stub : List.of(WorkflowServiceGrpc.newBlockingStub(agentChannel), as("mamos_ac_nobody"),
                as("eyJhbGciOiJSUzI1NiJ9.not-an-agent"))) {
            assertThatThrownBy(() -> stub.pollActivityTaskQueue(poll("mamos-agent-" + ALICE, "x")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
        assertThat(reachedTemporal).isEmpty();
    }

    @Test
    void workflowAndNamespaceWideMethodsAreDenied() {
        var alice = as("mamos_ac_alice");
        var execution = WorkflowExecution.newBuilder().setWorkflowId("job-1").build();
        assertDenied(() -> alice.startWorkflowExecution(StartWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowId("forged").build()));
        assertDenied(() -> alice.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder()
                .setNamespace(NAMESPACE).build()));
        assertDenied(() -> alice.getWorkflowExecutionHistory(GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(execution).build()));
        assertDenied(() -> alice.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setExecution(execution).build()));
        assertDenied(() -> alice.signalWorkflowExecution(SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).setSignalName("cancelRequested").build()));
        assertDenied(() -> alice.requestCancelWorkflowExecution(RequestCancelWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).build()));
        assertDenied(() -> alice.terminateWorkflowExecution(TerminateWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE).setWorkflowExecution(execution).build()));
        assertDenied(() -> alice.respondActivityTaskCompletedById(RespondActivityTaskCompletedByIdRequest
                .newBuilder().setNamespace(NAMESPACE).setWorkflowId("job-1").setActivityId("1").build()));
        assertDenied(() -> alice.pollWorkflowTaskQueue(PollWorkflowTaskQueueRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskQueue(TaskQueue.newBuilder().setName("mamos-agent-" + ALICE))
                .build()));
        assertDenied(() -> alice.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("other")
                .build()));
        assertThat(reachedTemporal).isEmpty();
        assertThat(registry.find(GatewayMetrics.CALLS).tag("outcome", "denied").counters().stream()
                .mapToDouble(counter -> counter.count()).sum()).isEqualTo(10.0);
    }

    @Test
    void heartbeatsAndResultsNeedATokenTheGatewayHandedToTheCaller() {
        ByteString aliceToken = as("mamos_ac_alice").pollActivityTaskQueue(poll("mamos-agent-" + ALICE, "x"))
                .getTaskToken();
        reachedTemporal.clear();

        assertDenied(() -> as("mamos_ac_bob").recordActivityTaskHeartbeat(heartbeat(aliceToken)));
        assertDenied(() -> as("mamos_ac_alice").recordActivityTaskHeartbeat(
                heartbeat(temporalToken("mamos-agent-" + ALICE))));
        assertDenied(() -> as("mamos_ac_bob").respondActivityTaskCompleted(RespondActivityTaskCompletedRequest
                .newBuilder().setNamespace(NAMESPACE).setTaskToken(aliceToken).build()));
        assertThat(reachedTemporal).isEmpty();

        as("mamos_ac_alice").recordActivityTaskHeartbeat(heartbeat(aliceToken));
        as("mamos_ac_alice").respondActivityTaskFailed(RespondActivityTaskFailedRequest.newBuilder()
                .setNamespace(NAMESPACE).setTaskToken(aliceToken).build());
        assertThat(reachedTemporal).containsExactly("RecordActivityTaskHeartbeat", "RespondActivityTaskFailed");
        assertThat(tokensAtTemporal).containsOnly(temporalToken("mamos-agent-" + ALICE));
    }

    @Test
    void aRevokedAgentsOpenPollIsCutWithinASecondAndItsNextCallRefused() throws Exception {
        pollsHang = true;
        var pending = WorkflowServiceGrpc.newFutureStub(agentChannel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("mamos_ac_alice")))
                .pollActivityTaskQueue(poll("mamos-agent-" + ALICE, "x"));
        Thread.sleep(300);
        long revokedAt = System.nanoTime();
        revoked.add(ALICE);

        assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(StatusRuntimeException.class)
                .cause().satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(1));
        assertThatThrownBy(() -> as("mamos_ac_alice").getSystemInfo(GetSystemInfoRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    @Test
    void workerLifecycleCallsAreAnsweredByTheGatewayItself() {
        as("mamos_ac_alice").shutdownWorker(ShutdownWorkerRequest.newBuilder().setNamespace(NAMESPACE)
                .setStickyTaskQueue("someone-elses-sticky-queue").build());
        as("mamos_ac_alice").getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        assertThat(reachedTemporal).containsExactly("GetSystemInfo");
    }

    private WorkflowServiceGrpc.WorkflowServiceBlockingStub as(String credential) {
        return WorkflowServiceGrpc.newBlockingStub(agentChannel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer(credential)))
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private static Metadata bearer(String credential) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return headers;
    }

    private static PollActivityTaskQueueRequest poll(String queue, String identity) {
        return PollActivityTaskQueueRequest.newBuilder().setNamespace(NAMESPACE).setIdentity(identity)
                .setTaskQueue(TaskQueue.newBuilder().setName(queue)).build();
    }

    private static RecordActivityTaskHeartbeatRequest heartbeat(ByteString token) {
        return RecordActivityTaskHeartbeatRequest.newBuilder().setNamespace(NAMESPACE).setTaskToken(token).build();
    }

    private static ByteString temporalToken(String queue) {
        return ByteString.copyFromUtf8("temporal-token-for-" + queue);
    }

    private static void assertDenied(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }

    /** Records what reaches it; answers polls with a task whose token names the polled queue. */
    private final class FakeTemporal extends WorkflowServiceGrpc.WorkflowServiceImplBase {

        @Override
        public void pollActivityTaskQueue(PollActivityTaskQueueRequest request,
                StreamObserver<PollActivityTaskQueueResponse> out) {
            reachedTemporal.add("PollActivityTaskQueue");
            identitiesAtTemporal.add(request.getIdentity());
            if (pollsHang) {
                return; // a long poll with no task yet
            }
            reply(out, PollActivityTaskQueueResponse.newBuilder()
                    .setTaskToken(temporalToken(request.getTaskQueue().getName()))
                    .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId("job-1")).build());
        }

        @Override
        public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
                StreamObserver<RecordActivityTaskHeartbeatResponse> out) {
            reachedTemporal.add("RecordActivityTaskHeartbeat");
            tokensAtTemporal.add(request.getTaskToken());
            reply(out, RecordActivityTaskHeartbeatResponse.getDefaultInstance());
        }

        @Override
        public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request,
                StreamObserver<RespondActivityTaskFailedResponse> out) {
            reachedTemporal.add("RespondActivityTaskFailed");
            tokensAtTemporal.add(request.getTaskToken());
            reply(out, RespondActivityTaskFailedResponse.getDefaultInstance());
        }

        @Override
        public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> out) {
            reachedTemporal.add("GetSystemInfo");
            reply(out, GetSystemInfoResponse.getDefaultInstance());
        }

        @Override
        public void startWorkflowExecution(StartWorkflowExecutionRequest request,
                StreamObserver<StartWorkflowExecutionResponse> out) {
            reachedTemporal.add("StartWorkflowExecution");
            reply(out, StartWorkflowExecutionResponse.getDefaultInstance());
        }

        private <R> void reply(StreamObserver<R> out, R response) {
            out.onNext(response);
            out.onCompleted();
        }
    }
}
