package io.mamos.orchestrator.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every call through the gateway by method and outcome ({@code mamos_gateway_calls_total}) and
 * logs each refused one with the agent, the method and why; never the credential.
 */
final class GatewayMetrics {

    static final String CALLS = "mamos.gateway.calls";

    private static final Logger log = LoggerFactory.getLogger(GatewayMetrics.class);

    private static final long LOG_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private static final int MAX_LOGGED_KINDS = 10_000;

    private final MeterRegistry registry;
    private final java.util.Map<String, Long> lastLogged = new java.util.concurrent.ConcurrentHashMap<>();

    GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void forwarded(String method) {
        count(method, "forwarded");
    }

    void answered(String method) {
        count(method, "answered");
    }

    /**
     * Records a refusal and returns the error to answer it with. Each kind of refusal (caller, method,
     * reason) is logged once a minute at most: an SDK worker retries a refused poll many times a second.
     */
    StatusRuntimeException refused(String method, String agentId, Status status, String reason) {
        boolean unauthenticated = status.getCode() == Status.Code.UNAUTHENTICATED;
        count(method, unauthenticated ? "unauthenticated" : "denied");
        String caller = agentId == null ? "an unauthenticated caller" : "agent " + agentId;
        long now = System.nanoTime();
        Long last = lastLogged.get(caller + method + reason);
        if (last == null || now - last > LOG_EVERY_NANOS) {
            if (lastLogged.size() > MAX_LOGGED_KINDS) {
                lastLogged.clear();
            }
            lastLogged.put(caller + method + reason, now);
            log.warn("gateway refused {} from {}: {} ({}; the same refusals in the next minute are only counted)",
                    method, caller, reason, status.getCode());
        }
        return status.withDescription((unauthenticated ? "" : "agent gateway: ") + reason).asRuntimeException();
    }

    private void count(String method, String outcome) {
        Counter.builder(CALLS).description("Calls agents made through the agent gateway")
                .tag("method", method).tag("outcome", outcome).register(registry).increment();
    }
}
