package io.mamos.orchestrator.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The agent gateway as a process of its own ({@code java -jar mamos-orchestrator.jar gateway}),
 * reading the orchestrator's data folder and forwarding to the same Temporal, as the deployment
 * docs recommend when agents must ride out orchestrator restarts.
 */
final class AgentGatewayProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final LoggedProcess process;
    private final int port;

    private AgentGatewayProcess(LoggedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the gateway on {@code gatewayPort} and waits until its /health is UP. */
    static AgentGatewayProcess start(java.nio.file.Path dir, java.nio.file.Path dataDir, String temporalTarget,
            int gatewayPort) {
        return start(dir, dataDir, temporalTarget, gatewayPort, Map.of());
    }

    /** Likewise, with more environment variables (the store's {@code MAMOS_STORE_*}, say). */
    static AgentGatewayProcess start(java.nio.file.Path dir, java.nio.file.Path dataDir, String temporalTarget,
            int gatewayPort, Map<String, String> extraEnv) {
        int httpPort = FreePorts.next();
        var env = new java.util.HashMap<>(extraEnv);
        env.putAll(Map.of("SERVER_PORT", String.valueOf(httpPort),
                "MAMOS_DATA_DIR", dataDir.toString(),
                "MAMOS_TEMPORAL_TARGET", temporalTarget,
                "MAMOS_GATEWAY_PORT", String.valueOf(gatewayPort),
                "MAMOS_GATEWAY_BIND_ADDRESS", "127.0.0.1"));
        LoggedProcess process = LoggedProcess.start("gateway",
                List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1", "-jar",
                        Jars.orchestrator().toString(), "gateway"),
                env, dir, dir.resolve("gateway.log"));
        AgentGatewayProcess gateway = new AgentGatewayProcess(process, httpPort);
        ApiClient health = ApiClient.anonymous("http://127.0.0.1:" + httpPort);
        try {
            Poll.until("the agent gateway's /health on port " + httpPort, STARTUP, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the gateway exited during startup" + System.lineSeparator()
                            + process.tail(60));
                }
                return health.get("/health").status() == 200;
            });
        } catch (RuntimeException | Error e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    /** Base URL of the gateway process's /health and /metrics. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    LoggedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop();
    }
}
