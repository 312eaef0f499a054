package io.mamos.agent.simulate;

import io.mamos.agent.AgentException;
import io.mamos.agent.AgentVersion;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.enroll.Enrollment;
import io.mamos.agent.enroll.EnrollmentClient;
import io.mamos.agent.enroll.EnrollmentRequest;
import io.mamos.agent.execution.CommandVerifier;
import io.mamos.agent.execution.SeenNonces;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.net.URI;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N simulated agents in one process: each enrolled for real and polling its own task queue with
 * its own worker, all sharing one gRPC connection, one worker factory and a few heartbeat threads.
 */
final class SimulatedFleet implements AutoCloseable {

    /** Concurrent enrollments; enough to keep the orchestrator busy without flooding it. */
    private static final int ENROLLMENT_PARALLELISM = 8;

    private static final Logger log = LoggerFactory.getLogger(SimulatedFleet.class);

    private final WorkflowServiceStubs service;
    private final WorkerFactory factory;
    private final ScheduledExecutorService heartbeats;
    private final List<Enrollment> agents;

    private SimulatedFleet(WorkflowServiceStubs service, WorkerFactory factory,
                           ScheduledExecutorService heartbeats, List<Enrollment> agents) {
        this.service = service;
        this.factory = factory;
        this.heartbeats = heartbeats;
        this.agents = agents;
    }

    /**
     * Enrolls {@code count} agents (one enrollment token each), then starts all their workers.
     * Each command execution is appended to {@code executionsLog} unless it is null.
     */
    static SimulatedFleet start(URI server, String adminPassword, int count, String temporalTarget,
                                String hostnamePrefix, Path executionsLog) throws InterruptedException {
        List<Enrollment> agents = enroll(server, adminPassword, count, hostnamePrefix);
        String target = temporalTarget != null ? temporalTarget : agents.get(0).temporalTarget();
        String namespace = agents.get(0).temporalNamespace() != null ? agents.get(0).temporalNamespace() : "default";

        // Through the agent gateway like real agents, each call with its own agent's credential.
        FleetCredentials credentials = new FleetCredentials();
        agents.forEach(agent -> credentials.add(agent.taskQueue(), agent.credential()));
        WorkflowServiceStubs service = WorkflowServiceStubs.newConnectedServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(target)
                        .setEnableHttps(Boolean.TRUE.equals(agents.get(0).temporalTls()))
                        .setGrpcClientInterceptors(List.of(credentials))
                        .build(), Duration.ofSeconds(15));
        WorkflowClient client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder()
                .setNamespace(namespace)
                .setIdentity("mamos-agent simulate@" + ProcessHandle.current().pid())
                .build());
        // No workflow ever runs on an agent: keep the workflow cache and its threads minimal.
        WorkerFactory factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
                .setWorkflowCacheSize(1)
                .setMaxWorkflowThreadCount(2)
                .build());
        // Each heartbeat is a blocking RPC; 1,000 agents at 5 s make 200 a second, too many for one
        // thread on a loaded machine (late heartbeats would mark agents OFFLINE).
        ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(
                Math.max(2, Math.min(16, agents.size() / 100)), runnable -> {
                    Thread thread = new Thread(runnable, "simulated-liveness");
                    thread.setDaemon(true);
                    return thread;
                });
        SimulatedLivenessActivities liveness = new SimulatedLivenessActivities(hostnamePrefix,
                client.newActivityCompletionClient(), heartbeats);
        for (Enrollment agent : agents) {
            SimulatedCommandActivities commands = new SimulatedCommandActivities(CommandVerifier.forAgent(
                    agent.agentId(), agent.commandPublicKey(), SeenNonces.inMemory(Clock.systemUTC())), executionsLog);
            Worker worker = factory.newWorker(agent.taskQueue(), WorkerOptions.newBuilder()
                    // One command slot plus the liveness slots a real agent keeps; one poller each.
                    .setMaxConcurrentActivityExecutionSize(3)
                    .setMaxConcurrentActivityTaskPollers(1)
                    .build());
            worker.registerActivitiesImplementations(commands, liveness);
        }
        factory.start();
        log.info("{} simulated agents polling their queues through the agent gateway {} (namespace {})",
                agents.size(), target, namespace);
        return new SimulatedFleet(service, factory, heartbeats, agents);
    }

    List<Enrollment> agents() {
        return agents;
    }

    private static List<Enrollment> enroll(URI server, String adminPassword, int count, String hostnamePrefix)
            throws InterruptedException {
        AdminClient admin = AdminClient.login(server, adminPassword);
        EnrollmentClient enrollment = new EnrollmentClient();
        String os = System.getProperty("os.name") + " (simulated)";
        ExecutorService pool = Executors.newFixedThreadPool(ENROLLMENT_PARALLELISM);
        try {
            List<Future<Enrollment>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String hostname = hostnamePrefix + "-" + i;
                pending.add(pool.submit(() -> enrollment.enroll(server,
                        new EnrollmentRequest(admin.newEnrollmentToken(), hostname, os, AgentVersion.current()))));
            }
            List<Enrollment> agents = new ArrayList<>(count);
            for (Future<Enrollment> next : pending) {
                agents.add(next.get());
            }
            log.info("{} simulated agents enrolled with {}", agents.size(), server);
            return agents;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AgentException failure) {
                throw failure;
            }
            throw new AgentException(ExitCodes.SOFTWARE, "enrolling simulated agents failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        heartbeats.shutdownNow();
        factory.shutdownNow();
        factory.awaitTermination(5, TimeUnit.SECONDS);
        service.shutdownNow();
        service.awaitTermination(2, TimeUnit.SECONDS);
    }
}
