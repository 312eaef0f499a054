package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.agent.AgentSnapshotStore;
import io.mamos.workflows.SystemSnapshot;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus discovery scrapes each agent at the address it connects from: a host the agent
 * reports (through its liveness heartbeats, which anyone reaching Temporal could forge) is never
 * listed; only a sane reported port is kept.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PrometheusTargetsTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-prometheus-targets-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.enrollment.failed-attempts-per-minute", () -> "1000");
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    AgentSnapshotStore snapshots;

    private TestApi api;
    private String adminToken;

    @BeforeEach
    void logInAsAdmin() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        var response = api.send("POST", "/api/v1/auth/token", null, "{\"username\":\"admin\",\"password\":\""
                + Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip() + "\"}");
        adminToken = api.read(response).get("accessToken").asString();
    }

    @Test
    void aReportedMetadataServiceAddressIsNotListedButTheAgentsOwnAddressIs() throws Exception {
        String agent = api.enrollAgent(adminToken, "fake-cloud").get("agentId").asString();

        snapshots.online(agent, snapshot("169.254.169.254:80"), Instant.now());

        assertThat(targetsOf(agent)).containsExactly("127.0.0.1:9101");
    }

    @Test
    void aForgedHeartbeatChangesOnlyThePortNeverTheHost() throws Exception {
        String agent = api.enrollAgent(adminToken, "fake-redis").get("agentId").asString();
        snapshots.online(agent, snapshot("agent-host:9101"), Instant.now());

        snapshots.online(agent, snapshot("10.0.0.99:6379"), Instant.now());

        assertThat(targetsOf(agent)).containsExactly("127.0.0.1:6379");
    }

    @Test
    void theAddressAnAgentCallsFromWithItsCredentialIsTheOneScraped() throws Exception {
        JsonNode enrolled = api.enrollAgent(adminToken, "self-caller");
        String agent = enrolled.get("agentId").asString();
        snapshots.online(agent, snapshot("somewhere-else:19101"), Instant.now());

        assertThat(api.send("GET", "/api/v1/agent/self", enrolled.get("credential").asString(), null).statusCode())
                .isEqualTo(200);

        assertThat(targetsOf(agent)).containsExactly("127.0.0.1:19101");
    }

    private List<String> targetsOf(String agentId) throws Exception {
        String token = Files.readString(BACKENDS.dataDir().resolve("prometheus-sd-token")).strip();
        var response = api.send("GET", "/api/v1/prometheus/targets", token, null);
        assertThat(response.statusCode()).isEqualTo(200);
        for (JsonNode group : api.read(response)) {
            if (group.get("labels").get("agent_id").asString().equals(agentId)) {
                return group.get("targets").valueStream().map(JsonNode::asString).toList();
            }
        }
        return List.of();
    }

    private static SystemSnapshot snapshot(String metricsAddress) {
        return new SystemSnapshot("h", "linux", "6", "cpu", 2, 0.1, 0.1, 1, 2, List.of(), 10, "t", 0,
                metricsAddress, System.currentTimeMillis(), true);
    }
}
