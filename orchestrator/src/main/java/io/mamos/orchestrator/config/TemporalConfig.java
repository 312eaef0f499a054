package io.mamos.orchestrator.config;

import io.mamos.workflows.AgentLivenessWorkflowImpl;
import io.mamos.workflows.AgentStoreActivities;
import io.mamos.workflows.JobStoreActivities;
import io.mamos.workflows.JobWorkflowImpl;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleClientOptions;
import io.mamos.workflows.RunWorkflowImpl;
import io.mamos.workflows.ScheduleActivities;
import io.mamos.workflows.ScheduledJobWorkflowImpl;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The orchestrator is a Temporal client (it starts and cancels job workflows) and a worker on
 * {@link TaskQueues#ORCHESTRATOR}: job workflows run here, and their store-mirroring activities
 * run as local activities next to the store.
 */
@Configuration(proxyBeanMethods = false)
class TemporalConfig {

    @Bean
    WorkflowClient workflowClient(WorkflowServiceStubs stubs, MamosProperties properties) {
        return WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder()
                .setNamespace(properties.temporal().namespace())
                .setIdentity("mamos-orchestrator@" + hostname())
                .build());
    }

    @Bean
    ScheduleClient scheduleClient(WorkflowServiceStubs stubs, MamosProperties properties) {
        return ScheduleClient.newInstance(stubs, ScheduleClientOptions.newBuilder()
                .setNamespace(properties.temporal().namespace())
                .setIdentity("mamos-orchestrator@" + hostname())
                .build());
    }

    @Bean
    WorkerFactory workerFactory(WorkflowClient client, JobStoreActivities jobStoreActivities,
            AgentStoreActivities agentStoreActivities, ScheduleActivities scheduleActivities) {
        WorkerFactory factory = WorkerFactory.newInstance(client);
        var worker = factory.newWorker(TaskQueues.ORCHESTRATOR);
        worker.registerWorkflowImplementationTypes(JobWorkflowImpl.class, RunWorkflowImpl.class,
                ScheduledJobWorkflowImpl.class, AgentLivenessWorkflowImpl.class);
        worker.registerActivitiesImplementations(jobStoreActivities, agentStoreActivities, scheduleActivities);
        return factory;
    }

    @Bean
    SmartLifecycle temporalWorkerLifecycle(WorkerFactory factory) {
        return new WorkerLifecycle(factory);
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    /** Starts polling once the application is up, and drains in-flight tasks on shutdown. */
    static final class WorkerLifecycle implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(WorkerLifecycle.class);

        private final WorkerFactory factory;
        private volatile boolean running;

        WorkerLifecycle(WorkerFactory factory) {
            this.factory = factory;
        }

        @Override
        public void start() {
            factory.start();
            running = true;
            log.info("Temporal worker polling task queue {}", TaskQueues.ORCHESTRATOR);
        }

        @Override
        public void stop() {
            factory.shutdown();
            factory.awaitTermination(10, TimeUnit.SECONDS);
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
