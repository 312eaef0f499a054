package io.mamos.agent.run;

import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.execution.CommandActivitiesImpl;
import io.mamos.agent.execution.ProcessRunner;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Temporal worker: polls only this agent's task queue and runs only
 * {@link io.mamos.workflows.CommandActivities}; no workflow code runs on an agent.
 */
public final class AgentWorker {

    /** How long to wait for Temporal at start-up before giving up (a supervisor restarts us). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    /** How long running commands get to wind down on SIGTERM; below Docker's 10 s stop timeout. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(8);

    private static final Logger log = LoggerFactory.getLogger(AgentWorker.class);

    private final AgentConfig config;
    private final WorkflowServiceStubs service;
    private final WorkerFactory factory;

    private AgentWorker(AgentConfig config, WorkflowServiceStubs service, WorkerFactory factory) {
        this.config = config;
        this.service = service;
        this.factory = factory;
    }

    /**
     * Connects to Temporal and starts polling.
     *
     * @throws AgentException {@link ExitCodes#UNAVAILABLE} if Temporal cannot be reached in time
     */
    public static AgentWorker start(AgentConfig config, Path workDir, int maxConcurrentCommands) {
        WorkflowServiceStubs service = connect(config.temporalTarget());
        WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(config.temporalNamespace())
                // Shown in the Temporal Web UI next to each command this agent ran.
                .setIdentity("mamos-agent " + config.agentId() + "@" + ProcessHandle.current().pid())
                .build());
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker(config.taskQueue(), WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(maxConcurrentCommands)
                // Heartbeats are how a cancel reaches a running command; sending one every second
                // (instead of every 0.8 x heartbeat timeout) kills a cancelled process within ~1 s.
                .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
                .build());
        worker.registerActivitiesImplementations(
                new CommandActivitiesImpl(config.allow(), new ProcessRunner(workDir)));
        factory.start();
        log.info("agent {} polling task queue {} on Temporal {} (namespace {}), up to {} concurrent commands, "
                        + "allowed executables {}", config.agentId(), config.taskQueue(), config.temporalTarget(),
                config.temporalNamespace(), maxConcurrentCommands, config.allow());
        return new AgentWorker(config, service, factory);
    }

    /**
     * Stops polling and gives running commands {@link #SHUTDOWN_GRACE} to end; the SDK then
     * fails their heartbeats, which kills their process trees.
     */
    public void stop() {
        log.info("agent {} shutting down", config.agentId());
        factory.shutdown();
        factory.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            factory.shutdownNow();
            factory.awaitTermination(2, TimeUnit.SECONDS);
        }
        service.shutdown();
        service.awaitTermination(2, TimeUnit.SECONDS);
        log.info("agent {} stopped", config.agentId());
    }

    private static WorkflowServiceStubs connect(String target) {
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(target).build(), CONNECT_TIMEOUT);
        } catch (RuntimeException e) {
            throw new AgentException(ExitCodes.UNAVAILABLE,
                    "cannot reach Temporal at " + target + " within " + CONNECT_TIMEOUT.toSeconds() + "s: "
                            + e.getMessage(), e);
        }
    }
}
