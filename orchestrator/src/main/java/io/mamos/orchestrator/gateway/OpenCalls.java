package io.mamos.orchestrator.gateway;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls each agent has open through the gateway (long polls mostly), so that revoking an agent
 * can end them at once: each is closed towards the agent and its call to Temporal is cancelled.
 */
final class OpenCalls {

    private final Map<String, Set<OpenCall>> byAgent = new ConcurrentHashMap<>();

    /** Registers a call of {@code agentId}; its answer goes through the returned call. */
    <Q, R> OpenCall open(String agentId, ServerCall<Q, R> call, Context.CancellableContext context) {
        OpenCall open = new OpenCall(agentId, new GuardedCall<>(call), context);
        byAgent.computeIfAbsent(agentId, id -> ConcurrentHashMap.newKeySet()).add(open);
        return open;
    }

    void closed(OpenCall call) {
        byAgent.computeIfPresent(call.agentId, (id, calls) -> {
            calls.remove(call);
            return calls.isEmpty() ? null : calls;
        });
        call.context.cancel(null);
    }

    /** Ends every open call of {@code agentId} with {@code status}; returns how many there were. */
    int cut(String agentId, Status status) {
        Set<OpenCall> calls = byAgent.remove(agentId);
        if (calls == null) {
            return 0;
        }
        for (OpenCall call : calls) {
            call.call.closeOnce(status, new Metadata());
            call.context.cancel(status.asRuntimeException());
        }
        return calls.size();
    }

    int count() {
        return byAgent.values().stream().mapToInt(Set::size).sum();
    }

    static final class OpenCall {
        private final String agentId;
        private final GuardedCall<?, ?> call;
        private final Context.CancellableContext context;

        private OpenCall(String agentId, GuardedCall<?, ?> call, Context.CancellableContext context) {
            this.agentId = agentId;
            this.call = call;
            this.context = context;
        }

        @SuppressWarnings("unchecked")
        <Q, R> ServerCall<Q, R> call() {
            return (ServerCall<Q, R>) call;
        }

        Context.CancellableContext context() {
            return context;
        }
    }

    /**
     * A server call that a revocation may close while its answer from Temporal is on the way: whichever
     * comes second is dropped, and the two never run at once (a ServerCall is not thread-safe).
     */
    static final class GuardedCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private boolean closed;

        GuardedCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        @Override
        public synchronized void sendHeaders(Metadata headers) {
            if (!closed) {
                super.sendHeaders(headers);
            }
        }

        @Override
        public synchronized void sendMessage(R message) {
            if (!closed) {
                super.sendMessage(message);
            }
        }

        @Override
        public synchronized void close(Status status, Metadata trailers) {
            closeOnce(status, trailers);
        }

        synchronized void closeOnce(Status status, Metadata trailers) {
            if (!closed) {
                closed = true;
                super.close(status, trailers);
            }
        }
    }
}
