package io.mamos.agent.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.execution.Allowlist;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up credential check against a real local HTTP server standing in for the orchestrator. */
class CredentialCheckTest {

    private static final String CREDENTIAL = "mamos_ac_secret-value";

    private HttpServer orchestrator;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private volatile int status;
    private volatile String body;

    @BeforeEach
    void startOrchestrator() throws IOException {
        orchestrator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        orchestrator.createContext(CredentialCheck.PATH, exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        orchestrator.start();
    }

    @AfterEach
    void stopOrchestrator() {
        orchestrator.stop(0);
    }

    @Test
    void confirmedCredentialLetsTheAgentRun() {
        status = 200;
        body = "{\"id\":\"a-1\",\"status\":\"ONLINE\"}";

        assertThat(check().verify(config(orchestratorUrl()))).isTrue();
        assertThat(authorizations).containsExactly("Bearer " + CREDENTIAL);
    }

    @Test
    void refusedCredentialStopsTheAgentWithItsOwnExitCodeAndNoSecret() {
        status = 401;
        body = "{\"status\":401,\"detail\":\"the agent credential is unknown or revoked\"}";

        assertThatThrownBy(() -> check().verify(config(orchestratorUrl())))
                .isInstanceOfSatisfying(AgentException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCodes.CREDENTIAL_REVOKED);
                    assertThat(e.getMessage()).contains("unknown or revoked").contains("decommissioned")
                            .doesNotContain(CREDENTIAL);
                });
    }

    @Test
    void serverErrorIsOnlyAWarning() {
        status = 503;
        body = "{\"detail\":\"Temporal is down\"}";

        assertThat(check().verify(config(orchestratorUrl()))).isFalse();
    }

    @Test
    void unreachableOrchestratorIsOnlyAWarning() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        assertThat(check().verify(config(URI.create("http://127.0.0.1:" + closedPort)))).isFalse();
    }

    private static CredentialCheck check() {
        return new CredentialCheck(Duration.ofSeconds(2));
    }

    private URI orchestratorUrl() {
        return URI.create("http://127.0.0.1:" + orchestrator.getAddress().getPort() + "/");
    }

    private static AgentConfig config(URI server) {
        return new AgentConfig(server, "a-1", CREDENTIAL, "mamos-agent-a-1", "localhost:7233", false, "default",
                Allowlist.of(List.of("/usr/bin/echo")), null);
    }
}
