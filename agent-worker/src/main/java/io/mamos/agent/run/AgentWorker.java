package io.mamos.agent.run;

import com.uber.m3.tally.Scope;
import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.enroll.HostFacts;
import io.mamos.agent.execution.CommandActivitiesImpl;
import io.mamos.agent.execution.CommandVerifier;
import io.mamos.agent.execution.SeenNonces;
import io.mamos.agent.execution.ProcessRunner;
import io.mamos.agent.execution.ProcessTag;
import io.mamos.agent.execution.RunningCommands;
import io.mamos.agent.liveness.LivenessActivitiesImpl;
import io.mamos.agent.metrics.AgentMetrics;
import io.mamos.agent.metrics.MetricsAddress;
import io.mamos.agent.system.SystemProbe;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's Temporal worker: polls only this agent's task queue and runs only
 * {@link io.mamos.workflows.CommandActivities} and {@link io.mamos.workflows.LivenessActivities};
 * no workflow code runs on an agent. Also serves the agent's {@code /metrics}.
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
    private final LivenessActivitiesImpl liveness;
    private final AgentMetrics metrics;

    private AgentWorker(AgentConfig config, WorkflowServiceStubs service, WorkerFactory factory,
                        LivenessActivitiesImpl liveness, AgentMetrics metrics) {
        this.config = config;
        this.service = service;
        this.factory = factory;
        this.liveness = liveness;
        this.metrics = metrics;
    }

    /**
     * Starts serving metrics (unless {@code metricsAddress} is empty), connects to Temporal and
     * starts polling.
     *
     * @param seenNoncesFile where the nonces of accepted commands are kept, so none is accepted twice
     *
     * @throws AgentException {@link ExitCodes#UNAVAILABLE} if Temporal cannot be reached in time,
     *                        {@link ExitCodes#USAGE} if the metrics address cannot be bound
     */
    public static AgentWorker start(AgentConfig config, Path workDir, Path seenNoncesFile, int maxConcurrentCommands,
                                    Optional<MetricsAddress> metricsAddress) {
        String hostname = HostFacts.detect(null).hostname();
        AgentMetrics metrics = metricsAddress
                .map(address -> serveMetrics(address, config.agentId(), hostname))
                .orElseGet(AgentMetrics::off);
        try {
            RunningCommands commands = new RunningCommands(metrics.registry());
            CommandVerifier verifier = CommandVerifier.forAgent(config.agentId(), config.commandPublicKey(),
                    SeenNonces.open(seenNoncesFile, Clock.systemUTC()));
            if (!verifier.hasKey()) {
                log.warn("agent {} has no pinned orchestrator key: it will refuse every command. Re-enroll it "
                        + "(mamos-agent enroll --force) to pin the key", config.agentId());
            }
            SystemProbe probe = new SystemProbe(commands::count, metrics.advertisedAddress());
            metrics.monitor(probe);
            LivenessActivitiesImpl liveness = new LivenessActivitiesImpl(probe);

            WorkflowServiceStubs service = connect(config, metrics.temporalScope());
            WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                    .setNamespace(config.temporalNamespace())
                    // Shown in the Temporal Web UI next to each command this agent ran.
                    .setIdentity("mamos-agent " + config.agentId() + "@" + ProcessHandle.current().pid())
                    .build());
            WorkerFactory factory = WorkerFactory.newInstance(client);
            Worker worker = factory.newWorker(config.taskQueue(), WorkerOptions.newBuilder()
                    // Commands only, but for a liveness workflow's first check-in (below): its
                    // sessions hold slots of the liveness worker.
                    .setMaxConcurrentActivityExecutionSize(maxConcurrentCommands)
                    // Heartbeats are how a cancel reaches a running command; sending one every second
                    // (instead of every 0.8 x heartbeat timeout) kills a cancelled process within ~1 s.
                    .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                    .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
                    .build());
            ProcessRunner runner = new ProcessRunner(workDir, ProcessTag.forAgent(config.agentId()));
            List<ProcessHandle> orphans = runner.killOrphansOfEarlierRuns();
            if (!orphans.isEmpty()) {
                log.warn("agent {}: killed {} process(es) that commands of its previous run left running "
                        + "(that agent process was killed before they ended): pids {}", config.agentId(),
                        orphans.size(), orphans.stream().map(ProcessHandle::pid).toList());
            }
            // Liveness stays served on the command queue too, for liveness workflows that have not
            // yet moved to the liveness queue (started before it existed, or before this agent said so).
            worker.registerActivitiesImplementations(
                    new CommandActivitiesImpl(verifier, config.allow(), runner, commands), liveness);
            // Its own queue and slots, so a backlog of commands (a busy agent) never delays a
            // check-in or a session and this agent is never taken for an offline one.
            factory.newWorker(TaskQueues.livenessForAgent(config.agentId()), WorkerOptions.newBuilder()
                    .setMaxConcurrentActivityExecutionSize(LivenessActivitiesImpl.SLOTS)
                    .setMaxConcurrentActivityTaskPollers(1)
                    .setMaxHeartbeatThrottleInterval(Duration.ofSeconds(1))
                    .setDefaultHeartbeatThrottleInterval(Duration.ofSeconds(1))
                    .build()).registerActivitiesImplementations(liveness);
            factory.start();
            log.info("agent {} polling task queue {} (and {} for liveness) on Temporal {} (namespace {}), up to {} "
                            + "concurrent commands, allowed executables {}, metrics {}", config.agentId(),
                    config.taskQueue(), TaskQueues.livenessForAgent(config.agentId()),
                    config.temporalTarget(), config.temporalNamespace(), maxConcurrentCommands, config.allow(),
                    metricsAddress.map(address -> "on " + address + "/metrics, advertised as "
                            + metrics.advertisedAddress()).orElse("off"));
            return new AgentWorker(config, service, factory, liveness, metrics);
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /**
     * Ends the liveness session at once (so the orchestrator marks this agent OFFLINE now, not
     * after missed heartbeats), stops polling and gives running commands {@link #SHUTDOWN_GRACE}
     * to end; the SDK then fails their heartbeats, which kills their process trees.
     */
    public void stop() {
        log.info("agent {} shutting down", config.agentId());
        liveness.stop();
        factory.shutdown();
        factory.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        if (!factory.isTerminated()) {
            factory.shutdownNow();
            factory.awaitTermination(2, TimeUnit.SECONDS);
        }
        service.shutdown();
        service.awaitTermination(2, TimeUnit.SECONDS);
        metrics.close();
        log.info("agent {} stopped", config.agentId());
    }

    private static AgentMetrics serveMetrics(MetricsAddress address, String agentId, String hostname) {
        try {
            return AgentMetrics.serve(address, agentId, hostname);
        } catch (IOException | RuntimeException e) {
            throw new AgentException(ExitCodes.USAGE, "cannot serve metrics on " + address + ": " + e.getMessage()
                    + " (choose another --metrics-address, or `off`)", e);
        }
    }

    /**
     * Connects to the orchestrator's agent gateway (the address enrollment handed out), presenting
     * this agent's credential on every call: the gateway lets it poll its own queue only.
     */
    private static WorkflowServiceStubs connect(AgentConfig config, Scope metricsScope) {
        String target = config.temporalTarget();
        WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(target)
                // Sent as "authorization: Bearer <credential>", the header the gateway reads.
                .addApiKey(config::credential)
                // Explicit: with an API key the SDK would otherwise turn TLS on by itself.
                .setEnableHttps(config.temporalTls());
        if (metricsScope != null) {
            options.setMetricsScope(metricsScope);
        }
        try {
            return WorkflowServiceStubs.newConnectedServiceStubs(options.build(), CONNECT_TIMEOUT);
        } catch (RuntimeException e) {
            throw new AgentException(ExitCodes.UNAVAILABLE,
                    "cannot reach the agent gateway at " + target + " within " + CONNECT_TIMEOUT.toSeconds() + "s: "
                            + e.getMessage(), e);
        }
    }
}
