package io.mamos.orchestrator.e2e;

import io.mamos.orchestrator.api.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;

/**
 * MAMOS started for real, once per test class: a Temporal dev server (or the project's Temporal
 * cluster, {@link #onTemporalCluster()}), the orchestrator jar
 * and, if asked, one agent enrolled through its CLI and running. Everything lives in a
 * folder of its own under {@code target/e2e/} (data, logs; kept for inspection) and is
 * stopped after the class. When a test fails, the end of every log is printed.
 *
 * <pre>{@code @RegisterExtension static final MamosStack mamos = MamosStack.withAgent();}</pre>
 */
final class MamosStack implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private static final Duration AGENT_READY = Duration.ofSeconds(90);
    /** Liveness heartbeat interval of the orchestrators these tests start. */
    static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(3);
    /** How often those orchestrators read each online agent's latest heartbeat into the store. */
    static final Duration LIVENESS_HISTORY_INTERVAL = Duration.ofSeconds(9);
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final boolean withAgent;
    private boolean separateGateway;
    private boolean postgresStore;
    private final Map<String, String> storeEnv = new HashMap<>();
    private AgentGatewayProcess gateway;
    private final Map<String, String> orchestratorEnv = new HashMap<>();
    private final Map<String, String> enrollEnv = new HashMap<>();
    private final Map<String, String> agentEnv = new HashMap<>();
    private Path dir;
    private Function<Path, TemporalService> temporalStarter = TemporalDevServer::start;
    private TemporalService temporal;
    private OrchestratorProcess orchestrator;
    private AgentProcess agent;
    private String agentId;
    private final List<AgentProcess> extraAgents = new ArrayList<>();
    private final List<OrchestratorProcess> replicas = new ArrayList<>();
    private ApiClient api;

    private MamosStack(boolean withAgent) {
        this.withAgent = withAgent;
    }

    static MamosStack withAgent() {
        return new MamosStack(true);
    }

    static MamosStack withoutAgent() {
        return new MamosStack(false);
    }

    /** Starts the orchestrator with this environment variable set too (e.g. {@code MAMOS_POLICY_FILE}). */
    MamosStack withOrchestratorEnv(String name, String value) {
        orchestratorEnv.put(name, value);
        return this;
    }

    /**
     * Runs the agent gateway as a process of its own (the topology the deployment docs recommend when
     * agents must ride out orchestrator restarts): killing the orchestrator leaves agents connected.
     * Without it the orchestrator serves the gateway itself, and an orchestrator outage is an outage
     * of the agents' way to Temporal too.
     */
    MamosStack withSeparateGateway() {
        separateGateway = true;
        return this;
    }

    /**
     * Keeps the orchestrator's (and the separate gateway's) store in a new database of a real
     * PostgreSQL server ({@code scripts/postgres.sh}, {@link TestPostgres}) instead of the SQLite file,
     * its password read from a file as a production deployment gives it.
     */
    MamosStack withPostgresStore() {
        postgresStore = true;
        return this;
    }

    /** Runs against the project's real Temporal cluster on PostgreSQL instead of the dev server. */
    MamosStack onTemporalCluster() {
        temporalStarter = TemporalCluster::start;
        return this;
    }

    /** Enrolls the agent with this environment variable set too (e.g. {@code MAMOS_AGENT_ALLOW}). */
    MamosStack withEnrollEnv(String name, String value) {
        enrollEnv.put(name, value);
        return this;
    }

    /** Runs the agent with this environment variable set too (e.g. {@code JAVA_TOOL_OPTIONS}). */
    MamosStack withAgentEnv(String name, String value) {
        agentEnv.put(name, value);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Path.of(System.getProperty("mamos.e2e.dir", "target/e2e")).toAbsolutePath()
                .resolve(context.getRequiredTestClass().getSimpleName() + "-" + LocalDateTime.now().format(FOLDER_TIME));
        Files.createDirectories(dir);
        System.err.println("[e2e] " + context.getDisplayName() + ": processes, data and logs in " + dir);
        try {
            temporal = temporalStarter.apply(dir);
            if (postgresStore) {
                usePostgresStore(context.getRequiredTestClass().getSimpleName());
            }
            if (separateGateway) {
                int gatewayPort = FreePorts.next();
                orchestratorEnv.put("MAMOS_GATEWAY_ENABLED", "false");
                orchestratorEnv.put("MAMOS_GATEWAY_PORT", String.valueOf(gatewayPort));
                orchestratorEnv.put("MAMOS_GATEWAY_ADVERTISED_TARGET", "127.0.0.1:" + gatewayPort);
                orchestrator = OrchestratorProcess.start(dir, temporal.target(), orchestratorEnv);
                // After the orchestrator: it migrates the store the gateway reads.
                gateway = AgentGatewayProcess.start(dir, orchestratorDataDir(), temporal.target(), gatewayPort,
                        storeEnv);
            } else {
                orchestrator = OrchestratorProcess.start(dir, temporal.target(), orchestratorEnv);
            }
            api = orchestrator.anonymousApi().loggedIn(orchestrator.adminPassword());
            if (withAgent) {
                enrollAndStartAgent();
            }
        } catch (IOException | RuntimeException | Error e) {
            printLogTails("startup of " + context.getDisplayName() + " failed");
            stopAll();
            throw e;
        }
    }

    private void usePostgresStore(String testClass) throws IOException {
        TestPostgres server = TestPostgres.server();
        Path passwordFile = dir.resolve("store-password");
        Files.writeString(passwordFile, server.password() + System.lineSeparator());
        Files.setPosixFilePermissions(passwordFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        storeEnv.put("MAMOS_STORE_URL", server.createDatabase(testClass.toLowerCase()));
        storeEnv.put("MAMOS_STORE_USERNAME", server.username());
        storeEnv.put("MAMOS_STORE_PASSWORD_FILE", passwordFile.toString());
        orchestratorEnv.putAll(storeEnv);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        printLogTails(context.getDisplayName() + " failed");
    }

    /** A client logged in as admin. */
    ApiClient api() {
        return api;
    }

    /** A client that sends no credentials. */
    ApiClient anonymousApi() {
        return orchestrator.anonymousApi();
    }

    /** The id of the enrolled agent (only {@link #withAgent()}). */
    String agentId() {
        if (agentId == null) {
            throw new IllegalStateException("this stack has no agent; use MamosStack.withAgent()");
        }
        return agentId;
    }

    TemporalDevServer temporal() {
        if (temporal instanceof TemporalDevServer devServer) {
            return devServer;
        }
        throw new IllegalStateException("this stack runs on " + temporal + "; use temporalCluster()");
    }

    /** The project's Temporal cluster (only {@link #onTemporalCluster()}). */
    TemporalCluster temporalCluster() {
        if (temporal instanceof TemporalCluster cluster) {
            return cluster;
        }
        throw new IllegalStateException("this stack runs on the Temporal dev server; use onTemporalCluster()");
    }

    OrchestratorProcess orchestrator() {
        return orchestrator;
    }

    AgentProcess agent() {
        return agent;
    }

    /** The separate gateway process (only {@link #withSeparateGateway()}). */
    AgentGatewayProcess gateway() {
        if (gateway == null) {
            throw new IllegalStateException("this stack's orchestrator serves the gateway; use withSeparateGateway()");
        }
        return gateway;
    }

    /** The agent's config file, as `enroll` wrote it. */
    Path agentConfig() {
        return dir.resolve("agent").resolve("agent.properties");
    }

    /** Starts the agent again, with the configuration it enrolled with, after a kill. */
    void restartAgent() {
        agent = AgentProcess.start(dir, dir.resolve("agent").resolve("agent.properties"), agentEnv);
    }

    /** Whether a worker polls the given task queue, as Temporal sees it. */
    boolean agentPolls(String taskQueue) {
        return temporal.cli().hasActivityPoller(taskQueue);
    }

    /** This test class's folder (data, logs), for processes of its own. */
    Path dir() {
        return dir;
    }

    /** The orchestrator's data folder (store, secrets). */
    Path orchestratorDataDir() {
        return dir.resolve("orchestrator");
    }

    /**
     * A second orchestrator on this stack's store (use {@link #withPostgresStore()}), data folder and
     * Temporal, as a replica behind a load balancer would run; its log in {@code <dir>/<name>/}. It is
     * stopped with the stack.
     */
    OrchestratorProcess startReplica(String name) throws IOException {
        if (!postgresStore) {
            throw new IllegalStateException("replicas share a PostgreSQL store: use withPostgresStore()");
        }
        Path replicaDir = Files.createDirectories(dir.resolve(name));
        OrchestratorProcess replica = OrchestratorProcess.startReplica(orchestrator, replicaDir);
        replicas.add(replica);
        return replica;
    }

    /** Starts the orchestrator again after a kill and logs in anew. */
    void restartOrchestrator() {
        orchestrator.restart();
        api = orchestrator.anonymousApi().loggedIn(orchestrator.adminPassword());
    }

    /** One more agent, enrolled with a token carrying {@code labels}, running with a log of its own. */
    record ExtraAgent(String id, String hostname, AgentProcess process) {
    }

    /** Enrolls and starts another agent named {@code hostname}; it is stopped with the stack. */
    ExtraAgent startExtraAgent(String hostname, java.util.Map<String, String> labels) throws IOException {
        return startExtraAgent(hostname, labels, Map.of());
    }

    /** Likewise, enrolled with these environment variables too (e.g. {@code MAMOS_AGENT_ALLOW}). */
    ExtraAgent startExtraAgent(String hostname, java.util.Map<String, String> labels, Map<String, String> enrollEnv)
            throws IOException {
        Path config = dir.resolve(hostname).resolve("agent.properties");
        Files.createDirectories(config.getParent());
        Path log = dir.resolve(hostname + ".log");
        int exit = AgentProcess.enroll(dir, orchestrator.baseUrl(), api.createEnrollmentToken(labels), config,
                List.of("--hostname", hostname), enrollEnv, log);
        if (exit != 0) {
            throw new AssertionError("`mamos-agent enroll` for " + hostname + " exited " + exit);
        }
        AgentProcess process = AgentProcess.start(dir, config, hostname, log);
        extraAgents.add(process);
        String id = enrolledAgent(config).path("id").asString();
        String taskQueue = io.mamos.workflows.TaskQueues.forAgent(id);
        Poll.until("agent " + hostname + " to poll " + taskQueue, AGENT_READY, () -> {
            if (!process.process().isAlive()) {
                throw new AssertionError(hostname + " exited" + System.lineSeparator() + process.process().tail(60));
            }
            return temporal.cli().hasActivityPoller(taskQueue);
        });
        return new ExtraAgent(id, hostname, process);
    }

    private void enrollAndStartAgent() throws IOException {
        Path config = dir.resolve("agent").resolve("agent.properties");
        Files.createDirectories(config.getParent());
        int exit = AgentProcess.enroll(dir, orchestrator.baseUrl(), api.createEnrollmentToken(), config, enrollEnv);
        if (exit != 0 || !Files.isRegularFile(config)) {
            throw new AssertionError("`mamos-agent enroll` exited " + exit + " and wrote "
                    + (Files.isRegularFile(config) ? config : "no config file"));
        }
        agent = AgentProcess.start(dir, config, agentEnv);
        JsonNode enrolled = enrolledAgent(config);
        agentId = enrolled.path("id").asString();
        String taskQueue = enrolled.path("taskQueue").asString();
        // Jobs submitted before the agent polls would only wait in the queue; waiting here keeps
        // the tests' own deadlines about the behaviour they test.
        Poll.until("agent " + agentId + " to poll its task queue " + taskQueue, AGENT_READY, () -> {
            if (!agent.process().isAlive()) {
                throw new AssertionError("the agent exited" + System.lineSeparator() + agent.process().tail(60));
            }
            return temporal.cli().hasActivityPoller(taskQueue);
        });
    }

    /**
     * The agent record of the agent whose id the config file holds. The file's key names are
     * the agent's business, so the ids the API knows are matched against the file's text.
     */
    private JsonNode enrolledAgent(Path config) {
        String text = read(config);
        List<JsonNode> matches = new ArrayList<>();
        api.get("/api/v1/agents").expect(200).path("items").forEach(candidate -> {
            String id = candidate.path("id").asString();
            if (!id.isEmpty() && text.contains(id)) {
                matches.add(candidate);
            }
        });
        if (matches.size() != 1) {
            throw new AssertionError("expected exactly one enrolled agent whose id is in " + config + ", found "
                    + matches + "; GET /api/v1/agents said " + api.get("/api/v1/agents"));
        }
        return matches.get(0);
    }

    private void printLogTails(String reason) {
        StringBuilder out = new StringBuilder("[e2e] " + reason + "; logs in " + dir).append(System.lineSeparator());
        out.append(LoggedProcess.tailOf("orchestrator", dir.resolve("orchestrator.log"), 80)).append(System.lineSeparator());
        if (separateGateway) {
            out.append(LoggedProcess.tailOf("gateway", dir.resolve("gateway.log"), 40)).append(System.lineSeparator());
        }
        if (withAgent) {
            out.append(LoggedProcess.tailOf("agent", dir.resolve("agent.log"), 60)).append(System.lineSeparator());
        }
        if (temporal != null) {
            out.append(temporal.logTail(20)).append(System.lineSeparator());
        }
        System.err.print(out);
    }

    /** Stops agent, orchestrator and Temporal, each even if stopping another failed. */
    private void stopAll() {
        List<AutoCloseable> running = new ArrayList<>(extraAgents);
        running.add(agent);
        running.add(gateway);
        running.addAll(replicas);
        running.add(orchestrator);
        running.add(temporal);
        LoggedProcess.closeAll(running);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
