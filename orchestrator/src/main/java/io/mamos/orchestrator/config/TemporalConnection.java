package io.mamos.orchestrator.config;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The orchestrator's connection to the Temporal frontend, shared by its client, its worker and the
 * agent gateway (in this process or in a gateway process of its own).
 */
@Configuration(proxyBeanMethods = false)
public class TemporalConnection {

    @Bean(destroyMethod = "shutdown")
    WorkflowServiceStubs workflowServiceStubs(MamosProperties properties, MeterRegistry registry,
            ObjectProvider<io.grpc.ClientInterceptor> interceptors) {
        // The SDK's own metrics (poll and schedule-to-start latencies, request failures) go to /metrics too.
        Scope metrics = new RootScopeBuilder()
                .reporter(new MicrometerClientStatsReporter(registry))
                .reportEvery(com.uber.m3.util.Duration.ofSeconds(5));
        return WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(properties.temporal().target())
                .setMetricsScope(metrics)
                // Any ClientInterceptor beans (tracing, tests that lose an answer) see every call to Temporal.
                .setGrpcClientInterceptors(interceptors.orderedStream().toList())
                .build());
    }
}
