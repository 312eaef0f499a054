package io.mamos.orchestrator.gateway;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RecordActivityTaskHeartbeatResponse;
import io.temporal.api.workflowservice.v1.RecordWorkerHeartbeatRequest;
import io.temporal.api.workflowservice.v1.RecordWorkerHeartbeatResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCanceledRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCanceledResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskCompletedResponse;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedRequest;
import io.temporal.api.workflowservice.v1.RespondActivityTaskFailedResponse;
import io.temporal.api.workflowservice.v1.ShutdownWorkerRequest;
import io.temporal.api.workflowservice.v1.ShutdownWorkerResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's WorkflowService as agents see it through the gateway. {@link AgentAuthentication} has
 * already established which agent calls and refused every method not listed in {@link CallPolicy};
 * each method here checks its request ({@link CallPolicy}, {@link TaskTokens}), replaces the identity
 * the agent sent by the authenticated one, and forwards to Temporal through the orchestrator's client.
 * Methods not overridden answer UNIMPLEMENTED, but none of them gets past the interceptor.
 */
final class AgentGatewayService extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    /** How much sooner than the agent's deadline a forwarded poll ends at Temporal. */
    static final Duration POLL_MARGIN = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(AgentGatewayService.class);

    private final WorkflowServiceGrpc.WorkflowServiceFutureStub temporal;
    private final CallPolicy policy;
    private final TaskTokens tokens;
    private final GatewayCredentials credentials;
    private final GatewayMetrics metrics;

    AgentGatewayService(WorkflowServiceGrpc.WorkflowServiceFutureStub temporal, CallPolicy policy, TaskTokens tokens,
            GatewayCredentials credentials, GatewayMetrics metrics) {
        this.temporal = temporal;
        this.policy = policy;
        this.tokens = tokens;
        this.credentials = credentials;
        this.metrics = metrics;
    }

    @Override
    public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> out) {
        forward("GetSystemInfo", temporal.getSystemInfo(request), out, Function.identity());
    }

    @Override
    public void describeNamespace(DescribeNamespaceRequest request, StreamObserver<DescribeNamespaceResponse> out) {
        if (refused("DescribeNamespace", policy.refusal(request), out)) {
            return;
        }
        forward("DescribeNamespace", temporal.describeNamespace(request), out, Function.identity());
    }

    @Override
    public void pollActivityTaskQueue(PollActivityTaskQueueRequest request,
            StreamObserver<PollActivityTaskQueueResponse> out) {
        String agentId = agentId();
        if (refused("PollActivityTaskQueue", policy.refusal(agentId, request), out)) {
            return;
        }
        PollActivityTaskQueueRequest poll = request.toBuilder().setIdentity(identity(agentId)).build();
        forward("PollActivityTaskQueue", withPollMargin(temporal).pollActivityTaskQueue(poll), out, task -> {
            if (credentials.revoked(agentId)) {
                // The task goes back to Temporal's timeouts; a revoked agent never sees it.
                log.warn("agent {} was revoked while polling: task of workflow {} not handed over", agentId,
                        task.getWorkflowExecution().getWorkflowId());
                throw Status.UNAUTHENTICATED.withDescription("the agent credential was revoked").asRuntimeException();
            }
            return task.toBuilder().setTaskToken(tokens.bind(agentId, task.getTaskToken())).build();
        });
    }

    @Override
    public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
            StreamObserver<RecordActivityTaskHeartbeatResponse> out) {
        String agentId = agentId();
        String method = "RecordActivityTaskHeartbeat";
        Optional<ByteString> token = token(method, agentId, request.getNamespace(), request.getTaskToken(), out);
        if (token.isPresent()) {
            forward(method, temporal.recordActivityTaskHeartbeat(request.toBuilder().setTaskToken(token.get())
                    .setIdentity(identity(agentId)).build()), out, Function.identity());
        }
    }

    @Override
    public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
            StreamObserver<RespondActivityTaskCompletedResponse> out) {
        String agentId = agentId();
        String method = "RespondActivityTaskCompleted";
        Optional<ByteString> token = token(method, agentId, request.getNamespace(), request.getTaskToken(), out);
        if (token.isPresent()) {
            forward(method, temporal.respondActivityTaskCompleted(request.toBuilder().setTaskToken(token.get())
                    .setIdentity(identity(agentId)).build()), out, Function.identity());
        }
    }

    @Override
    public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request,
            StreamObserver<RespondActivityTaskFailedResponse> out) {
        String agentId = agentId();
        String method = "RespondActivityTaskFailed";
        Optional<ByteString> token = token(method, agentId, request.getNamespace(), request.getTaskToken(), out);
        if (token.isPresent()) {
            forward(method, temporal.respondActivityTaskFailed(request.toBuilder().setTaskToken(token.get())
                    .setIdentity(identity(agentId)).build()), out, Function.identity());
        }
    }

    @Override
    public void respondActivityTaskCanceled(RespondActivityTaskCanceledRequest request,
            StreamObserver<RespondActivityTaskCanceledResponse> out) {
        String agentId = agentId();
        String method = "RespondActivityTaskCanceled";
        Optional<ByteString> token = token(method, agentId, request.getNamespace(), request.getTaskToken(), out);
        if (token.isPresent()) {
            forward(method, temporal.respondActivityTaskCanceled(request.toBuilder().setTaskToken(token.get())
                    .setIdentity(identity(agentId)).build()), out, Function.identity());
        }
    }

    @Override
    public void shutdownWorker(ShutdownWorkerRequest request, StreamObserver<ShutdownWorkerResponse> out) {
        answer("ShutdownWorker", ShutdownWorkerResponse.getDefaultInstance(), out);
    }

    @Override
    public void recordWorkerHeartbeat(RecordWorkerHeartbeatRequest request,
            StreamObserver<RecordWorkerHeartbeatResponse> out) {
        answer("RecordWorkerHeartbeat", RecordWorkerHeartbeatResponse.getDefaultInstance(), out);
    }

    /**
     * Ends the poll at Temporal {@link #POLL_MARGIN} before the agent's own deadline: Temporal then
     * answers "no task" while the agent still listens. Otherwise a task Temporal hands out at the last
     * moment could reach the gateway after the agent gave up on the poll, and be lost until it times out.
     */
    private static WorkflowServiceGrpc.WorkflowServiceFutureStub withPollMargin(
            WorkflowServiceGrpc.WorkflowServiceFutureStub temporal) {
        Deadline agents = io.grpc.Context.current().getDeadline();
        if (agents == null) {
            return temporal;
        }
        long left = agents.timeRemaining(TimeUnit.MILLISECONDS);
        long margin = Math.min(POLL_MARGIN.toMillis(), left / 4);
        return temporal.withDeadline(agents.offset(-margin, TimeUnit.MILLISECONDS));
    }

    /** The identity Temporal records for this agent's calls, whatever the agent sent. */
    static String identity(String agentId) {
        return "mamos-agent " + agentId + " via gateway";
    }

    private static String agentId() {
        return AgentAuthentication.AGENT_ID.get();
    }

    /** Temporal's task token inside {@code presented}, or empty after answering PERMISSION_DENIED. */
    private Optional<ByteString> token(String method, String agentId, String namespace, ByteString presented,
            StreamObserver<?> out) {
        if (refused(method, policy.namespaceRefusal(namespace), out)) {
            return Optional.empty();
        }
        Optional<ByteString> token = tokens.unbind(agentId, presented);
        if (token.isEmpty()) {
            out.onError(metrics.refused(method, agentId, Status.PERMISSION_DENIED,
                    "the task token was not handed to this agent by the gateway"));
        }
        return token;
    }

    private boolean refused(String method, Optional<String> refusal, StreamObserver<?> out) {
        refusal.ifPresent(reason -> out.onError(metrics.refused(method, agentId(), Status.PERMISSION_DENIED, reason)));
        return refusal.isPresent();
    }

    private <R> void answer(String method, R response, StreamObserver<R> out) {
        metrics.answered(method);
        out.onNext(response);
        out.onCompleted();
    }

    private <R> void forward(String method, ListenableFuture<R> call, StreamObserver<R> out, Function<R, R> answer) {
        metrics.forwarded(method);
        Futures.addCallback(call, new FutureCallback<>() {
            @Override
            public void onSuccess(R response) {
                R mapped;
                try {
                    mapped = answer.apply(response);
                } catch (StatusRuntimeException refused) {
                    out.onError(refused);
                    return;
                }
                out.onNext(mapped);
                out.onCompleted();
            }

            @Override
            public void onFailure(Throwable failure) {
                out.onError(failure instanceof StatusRuntimeException ? failure
                        : Status.fromThrowable(failure).asRuntimeException());
            }
        }, MoreExecutors.directExecutor());
    }
}
