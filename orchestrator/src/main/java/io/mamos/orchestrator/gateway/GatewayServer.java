package io.mamos.orchestrator.gateway;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.mamos.orchestrator.auth.AgentCredentials;
import io.mamos.orchestrator.config.MamosProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The agent gateway's gRPC server: Temporal's WorkflowService behind {@link AgentAuthentication},
 * plus the standard gRPC health service the SDK checks when it connects. Also reads revocations
 * every {@code revocation-check-interval} and cuts the revoked agents' open calls.
 */
public final class GatewayServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);

    private final MamosProperties.Gateway settings;
    private final AgentGatewayService service;
    private final AgentAuthentication authentication;
    private final GatewayCredentials credentials;
    private final OpenCalls openCalls;
    private final String temporalTarget;
    private Server server;
    private ScheduledExecutorService revocations;

    GatewayServer(MamosProperties.Gateway settings, AgentGatewayService service, AgentAuthentication authentication,
            GatewayCredentials credentials, OpenCalls openCalls, String temporalTarget) {
        this.settings = settings;
        this.service = service;
        this.authentication = authentication;
        this.credentials = credentials;
        this.openCalls = openCalls;
        this.temporalTarget = temporalTarget;
    }

    /** The gateway in front of the Temporal that {@code stubs} connects to, checking credentials in the store. */
    static GatewayServer forStubs(MamosProperties properties, WorkflowServiceStubs stubs, TaskTokens tokens,
            AgentCredentials agentCredentials, MeterRegistry registry) {
        GatewayCredentials.Store store = new GatewayCredentials.Store() {
            @Override
            public Optional<String> agentIdFor(String credential) {
                return agentCredentials.agentIdFor(credential);
            }

            @Override
            public List<String> revokedSince(Instant since) {
                return agentCredentials.revokedSince(since);
            }
        };
        return create(properties.gateway(), properties.temporal().namespace(), properties.temporal().target(),
                stubs.futureStub(), tokens, store, registry);
    }

    static GatewayServer create(MamosProperties.Gateway settings, String namespace, String temporalTarget,
            WorkflowServiceGrpc.WorkflowServiceFutureStub temporal, TaskTokens tokens, GatewayCredentials.Store store,
            MeterRegistry registry) {
        var credentials = new GatewayCredentials(store, settings.credentialCacheTtl(), Clock.systemUTC());
        var openCalls = new OpenCalls();
        var metrics = new GatewayMetrics(registry);
        Gauge.builder("mamos.gateway.open.calls", openCalls, OpenCalls::count)
                .description("Calls agents have open through the agent gateway (long polls mostly)")
                .register(registry);
        var service = new AgentGatewayService(temporal, new CallPolicy(namespace), tokens, credentials, metrics);
        return new GatewayServer(settings, service, new AgentAuthentication(credentials, openCalls, metrics),
                credentials, openCalls, temporalTarget);
    }

    @Override
    public synchronized void start() {
        NettyServerBuilder builder = NettyServerBuilder
                .forAddress(new InetSocketAddress(settings.bindAddress(), settings.port()))
                .addService(ServerInterceptors.intercept(service, authentication))
                // The SDK pings every 30 s, with or without calls; Netty's default would answer that with GOAWAY.
                .permitKeepAliveTime(10, TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true);
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus(WorkflowServiceStubs.HEALTH_CHECK_SERVICE_NAME, ServingStatus.SERVING);
        builder.addService(health.getHealthService());
        var tls = settings.tls();
        if (tls.enabled()) {
            if (tls.certificateChain() == null || tls.privateKey() == null) {
                throw new IllegalStateException("mamos.gateway.tls needs both certificate-chain and private-key");
            }
            try {
                builder.sslContext(GrpcSslContexts.forServer(tls.certificateChain().toFile(),
                        tls.privateKey().toFile()).build());
            } catch (SSLException | IllegalArgumentException e) {
                throw new IllegalStateException("cannot use the gateway's TLS certificate or key ("
                        + tls.certificateChain() + ", " + tls.privateKey() + "): " + e.getMessage(), e);
            }
        }
        try {
            server = builder.build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("the agent gateway cannot listen on " + settings.bindAddress() + ":"
                    + settings.port(), e);
        }
        revocations = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "mamos-gateway-revocations");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.revocationCheckInterval().toMillis();
        revocations.scheduleWithFixedDelay(this::cutRevoked, every, every, TimeUnit.MILLISECONDS);
        log.info("agent gateway listening on {}:{} ({}), forwarding to Temporal {}", settings.bindAddress(), port(),
                tls.enabled() ? "TLS" : "plaintext", temporalTarget);
    }

    /** The port the gateway listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return server.getPort();
    }

    private void cutRevoked() {
        try {
            credentials.readRevocations(agentId -> {
                int cut = openCalls.cut(agentId, Status.UNAUTHENTICATED.withDescription(
                        "the agent credential was revoked"));
                if (cut > 0) {
                    log.info("agent {} revoked: cut its {} open call(s) through the gateway", agentId, cut);
                }
            });
        } catch (RuntimeException e) {
            // The store may be briefly locked or not migrated yet (a gateway process starting first).
            log.warn("agent gateway could not read revocations: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (revocations != null) {
            revocations.shutdownNow();
        }
        if (server != null) {
            server.shutdown();
            try {
                if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
                    server.shutdownNow();
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null;
    }
}
