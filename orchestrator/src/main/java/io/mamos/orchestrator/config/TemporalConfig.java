package io.mamos.orchestrator.config;

import io.grpc.ClientInterceptor;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.spring.boot.TemporalOptionsCustomizer;
import io.temporal.worker.WorkerFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What MAMOS adds to Temporal's Spring Boot integration ({@code temporal-spring-boot-starter}).
 * The connection, the client, the schedule client and the orchestrator's worker on
 * {@code mamos-orchestrator} (job, run, scheduled-job and liveness workflows; the store activities
 * that run as local activities next to the store) are declared under {@code spring.temporal.*} in
 * {@code application.yml}, mapped from {@code mamos.temporal.*}. Here: every {@link ClientInterceptor}
 * bean on the connection, the orchestrator's identity, and a drain of in-flight tasks on shutdown.
 */
@Configuration(proxyBeanMethods = false)
public class TemporalConfig {

    /** The identity Temporal records on what the orchestrator starts, cancels or terminates. */
    static final String IDENTITY = "mamos-orchestrator@" + hostname();

    @Bean
    TemporalOptionsCustomizer<WorkflowServiceStubsOptions.Builder> grpcInterceptors(
            ObjectProvider<ClientInterceptor> interceptors) {
        // Any ClientInterceptor beans (tracing, tests that lose an answer) see every call to Temporal.
        return builder -> builder.setGrpcClientInterceptors(interceptors.orderedStream().toList());
    }

    @Bean
    TemporalOptionsCustomizer<WorkflowClientOptions.Builder> clientIdentity() {
        return builder -> builder.setIdentity(IDENTITY);
    }

    @Bean
    TemporalOptionsCustomizer<ScheduleClientOptions.Builder> scheduleClientIdentity() {
        return builder -> builder.setIdentity(IDENTITY);
    }

    /**
     * The starter starts the worker once the application is ready and only calls
     * {@link WorkerFactory#shutdown()} when the context closes; this waits (at most 10 s) for the
     * tasks in flight to finish before the store they write to is closed.
     */
    @Bean
    SmartLifecycle temporalWorkerDrain(ObjectProvider<WorkerFactory> factory) {
        return new WorkerDrain(factory);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    static final class WorkerDrain implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(WorkerDrain.class);

        private final ObjectProvider<WorkerFactory> factory;
        private volatile boolean running;

        WorkerDrain(ObjectProvider<WorkerFactory> factory) {
            this.factory = factory;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            WorkerFactory workers = factory.getIfAvailable();
            if (workers == null || !workers.isStarted()) {
                return;
            }
            workers.shutdown();
            workers.awaitTermination(10, TimeUnit.SECONDS);
            if (!workers.isTerminated()) {
                log.warn("Temporal worker still had tasks in flight 10 s after shutdown");
            }
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
