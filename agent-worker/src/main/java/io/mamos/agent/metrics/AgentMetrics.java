package io.mamos.agent.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
import io.mamos.agent.system.SystemProbe;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The agent's Prometheus metrics: its own {@code mamos_agent_*} meters, the JVM's, and the
 * Temporal SDK's ({@code temporal_*}), all tagged {@code agent_id} and served at
 * {@code /metrics}. {@link #off()} is the same API with nothing recorded or served.
 */
public final class AgentMetrics implements AutoCloseable {

    /** How often the SDK's tally scope hands what it collected to the registry. */
    private static final com.uber.m3.util.Duration TEMPORAL_REPORT_INTERVAL = com.uber.m3.util.Duration.ofSeconds(10);

    /**
     * The SDK asks for a percentile histogram on every timer: about 70 buckets per label set,
     * over a thousand series on an idle agent. A dozen fixed buckets keep {@code _bucket}
     * (for {@code histogram_quantile}) at a fraction of the scrape size and memory.
     */
    static final MeterFilter TEMPORAL_BUCKETS = new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
            if (id.getType() != Meter.Type.TIMER || !id.getName().startsWith("temporal")) {
                return config;
            }
            return DistributionStatisticConfig.builder()
                    .percentilesHistogram(false)
                    .serviceLevelObjectives(Stream.of(5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000,
                                    30_000, 60_000)
                            .mapToDouble(millis -> Duration.ofMillis(millis).toNanos())
                            .toArray())
                    .build()
                    .merge(config);
        }
    };

    private final MeterRegistry registry;
    private final MetricsEndpoint endpoint;
    private final String advertisedAddress;
    private final JvmGcMetrics gcMetrics;
    private final Scope temporalScope;
    private volatile SystemGauges systemGauges;

    private AgentMetrics(MeterRegistry registry, MetricsEndpoint endpoint, String advertisedAddress,
                         JvmGcMetrics gcMetrics, Scope temporalScope) {
        this.registry = registry;
        this.endpoint = endpoint;
        this.advertisedAddress = advertisedAddress;
        this.gcMetrics = gcMetrics;
        this.temporalScope = temporalScope;
    }

    /** Metrics disabled: meters are no-ops and nothing listens. */
    public static AgentMetrics off() {
        return new AgentMetrics(new CompositeMeterRegistry(), null, null, null, null);
    }

    /**
     * Creates the registry and starts serving {@code /metrics} on {@code address}.
     *
     * @param hostname what to advertise instead of a wildcard bind address
     * @throws IOException if the address cannot be bound
     */
    public static AgentMetrics serve(MetricsAddress address, String agentId, String hostname) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config()
                .commonTags("agent_id", agentId)
                .meterFilter(TEMPORAL_BUCKETS);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Scope temporalScope = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(TEMPORAL_REPORT_INTERVAL);

        MetricsEndpoint endpoint;
        try {
            endpoint = MetricsEndpoint.bind(address, registry);
        } catch (IOException | RuntimeException e) {
            gcMetrics.close();
            close(temporalScope);
            throw e;
        }
        AgentMetrics metrics = new AgentMetrics(registry, endpoint, advertise(endpoint.address(), hostname),
                gcMetrics, temporalScope);
        endpoint.start(metrics::refreshSystemGauges);
        return metrics;
    }

    /** Where the agent's own meters register; a no-op registry when metrics are off. */
    public MeterRegistry registry() {
        return registry;
    }

    /** {@code host:port} a Prometheus server can scrape, or null when metrics are off. */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    /** The scope to give the Temporal SDK ({@code WorkflowServiceStubsOptions}); null when off. */
    public Scope temporalScope() {
        return temporalScope;
    }

    /** Exports the host gauges, sampled from {@code probe}. */
    public void monitor(SystemProbe probe) {
        if (endpoint != null) {
            systemGauges = new SystemGauges(registry, Objects.requireNonNull(probe));
        }
    }

    private void refreshSystemGauges() {
        SystemGauges gauges = systemGauges;
        if (gauges != null) {
            gauges.refreshIfStale();
        }
    }

    @Override
    public void close() {
        if (endpoint != null) {
            endpoint.close();
            gcMetrics.close();
            close(temporalScope);
        }
    }

    /** Flushes the SDK's last counts; its reporter then closes the registry. */
    private static void close(Scope scope) {
        try {
            scope.close();
        } catch (ScopeCloseException e) {
            // Nothing left to report to: the process is on its way out.
        }
    }

    /**
     * A wildcard bind address (0.0.0.0, ::) is not something another machine can dial; the
     * host's name is.
     */
    static String advertise(InetSocketAddress bound, String hostname) {
        if (bound.getAddress() == null || bound.getAddress().isAnyLocalAddress()) {
            return hostname + ":" + bound.getPort();
        }
        String host = bound.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
    }
}
