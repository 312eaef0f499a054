package io.mamos.orchestrator.gateway;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;

/**
 * First step of every call through the gateway: the caller must present a valid agent credential
 * ({@code authorization: Bearer mamos_ac_...}), and the method must be one an agent's activity
 * worker needs ({@link CallPolicy#admits}). The agent's id then travels with the call
 * ({@link #AGENT_ID}); whatever the request itself says about its identity is never read for authority.
 */
final class AgentAuthentication implements ServerInterceptor {

    static final Context.Key<String> AGENT_ID = Context.key("mamos-agent-id");

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String BEARER = "Bearer ";

    private final GatewayCredentials credentials;
    private final OpenCalls openCalls;
    private final GatewayMetrics metrics;

    AgentAuthentication(GatewayCredentials credentials, OpenCalls openCalls, GatewayMetrics metrics) {
        this.credentials = credentials;
        this.openCalls = openCalls;
        this.metrics = metrics;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        Optional<String> agentId = credential(headers).flatMap(credentials::agentFor);
        if (agentId.isEmpty()) {
            return refuse(call, metrics.refused(method, null, Status.UNAUTHENTICATED,
                    "a valid agent credential is required (authorization: Bearer <agent credential>)"));
        }
        if (!CallPolicy.admits(method)) {
            return refuse(call, metrics.refused(method, agentId.get(), Status.PERMISSION_DENIED,
                    method + " is not open to agents"));
        }
        Context.CancellableContext context = Context.current().withValue(AGENT_ID, agentId.get()).withCancellation();
        OpenCalls.OpenCall open = openCalls.open(agentId.get(), call, context);
        ServerCall.Listener<Q> listener = Contexts.interceptCall(context, open.<Q, R>call(), headers, next);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            @Override
            public void onComplete() {
                try {
                    super.onComplete();
                } finally {
                    openCalls.closed(open);
                }
            }

            @Override
            public void onCancel() {
                try {
                    super.onCancel();
                } finally {
                    openCalls.closed(open);
                }
            }
        };
    }

    private static Optional<String> credential(Metadata headers) {
        String value = headers.get(AUTHORIZATION);
        if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String credential = value.substring(BEARER.length()).strip();
        return credential.isEmpty() ? Optional.empty() : Optional.of(credential);
    }

    private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, StatusRuntimeException error) {
        call.close(error.getStatus(), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
