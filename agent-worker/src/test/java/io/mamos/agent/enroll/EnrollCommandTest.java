package io.mamos.agent.enroll;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.MamosAgent;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.config.AgentConfigFile;
import io.mamos.agent.execution.Allowlist;
import io.mamos.agent.execution.TestOrchestratorKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code enroll} in-process against a stand-in orchestrator on a loopback port. */
class EnrollCommandTest {

    private static final String TOKEN = "one-time-token-123";
    private static final String CREDENTIAL = "agent-credential-xyz";
    private static final String COMMAND_KEY = new TestOrchestratorKey().publicKeyBase64();
    private static final String ENROLLED = """
            {"agentId":"a1","credential":"%s","taskQueue":"mamos-agent-a1",
             "temporalTarget":"temporal.internal:7233","temporalNamespace":"default","extra":true,
             "commandPublicKey":"%s"}
            """.formatted(CREDENTIAL, COMMAND_KEY);

    @TempDir
    Path dir;

    private HttpServer orchestrator;
    private final List<JsonNode> requests = new ArrayList<>();
    private int status = 201;
    private String contentType = "application/json";
    private String body = ENROLLED;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startOrchestrator() throws IOException {
        orchestrator = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        orchestrator.createContext("/api/v1/enrollments", exchange -> {
            requests.add(new ObjectMapper().readTree(exchange.getRequestBody()));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
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
    void enrollsAndWritesThePrivateConfig() throws Exception {
        Path config = dir.resolve("agent/agent.properties");

        int exit = enroll("--config", config.toString(), "--allow", "/usr/bin/echo,/usr/bin/date",
                "--hostname", "box-1");

        assertThat(exit).isEqualTo(ExitCodes.OK);
        assertThat(requests).hasSize(1);
        JsonNode request = requests.get(0);
        assertThat(request.get("token").asText()).isEqualTo(TOKEN);
        assertThat(request.get("hostname").asText()).isEqualTo("box-1");
        assertThat(request.get("os").asText()).isNotBlank();
        assertThat(request.get("agentVersion").asText()).isNotBlank();
        AgentConfig written = AgentConfigFile.read(config);
        assertThat(written.agentId()).isEqualTo("a1");
        assertThat(written.credential()).isEqualTo(CREDENTIAL);
        assertThat(written.taskQueue()).isEqualTo("mamos-agent-a1");
        assertThat(written.temporalTarget()).isEqualTo("temporal.internal:7233");
        assertThat(written.allow()).isEqualTo(Allowlist.parse("/usr/bin/echo,/usr/bin/date"));
        assertThat(written.commandPublicKey()).as("pinned key").isEqualTo(COMMAND_KEY);
        assertThat(out.toString()).contains("a1", config.toString());
    }

    @Test
    void anOrchestratorThatSendsNoCommandKeyLeavesAnAgentThatRefusesEverything() {
        body = ENROLLED.replaceAll(",\\s*\"commandPublicKey\":\"[^\"]*\"", "");
        Path config = dir.resolve("agent.properties");

        int exit = enroll("--config", config.toString());

        assertThat(body).doesNotContain("commandPublicKey");
        assertThat(exit).isEqualTo(ExitCodes.OK);
        assertThat(AgentConfigFile.read(config).commandPublicKey()).isNull();
        assertThat(err.toString()).contains("will refuse every command");
    }

    @Test
    void neverPrintsTheTokenOrTheCredential() {
        enroll("--config", dir.resolve("agent.properties").toString());

        assertThat(out.toString() + err.toString()).doesNotContain(TOKEN).doesNotContain(CREDENTIAL);
    }

    @Test
    void letsTheTemporalTargetBeOverridden() {
        Path config = dir.resolve("agent.properties");

        enroll("--config", config.toString(), "--temporal-target", "10.0.0.5:7233");

        assertThat(AgentConfigFile.read(config).temporalTarget()).isEqualTo("10.0.0.5:7233");
    }

    @Test
    void reportsTheServersReasonWhenTheTokenIsRefused() {
        status = 401;
        contentType = "application/problem+json";
        body = """
                {"type":"https://mamos.io/problems/invalid-enrollment-token","title":"Unauthorized",
                 "status":401,"detail":"enrollment token is unknown, expired or already used"}""";
        Path config = dir.resolve("agent.properties");

        int exit = enroll("--config", config.toString());

        assertThat(exit).isEqualTo(ExitCodes.REFUSED);
        assertThat(err.toString()).contains("enrollment token is unknown, expired or already used");
        assertThat(config).doesNotExist();
    }

    @Test
    void reportsAServerErrorAsUnavailable() {
        status = 503;
        body = "<html>bad gateway</html>";

        int exit = enroll("--config", dir.resolve("agent.properties").toString());

        assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(err.toString()).doesNotContain("<html>");
    }

    @Test
    void reportsAnUnreachableServerAsUnavailable() {
        int port = orchestrator.getAddress().getPort();
        orchestrator.stop(0);

        int exit = run("enroll", "--server", "http://127.0.0.1:" + port, "--token", TOKEN,
                "--config", dir.resolve("agent.properties").toString());

        assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
    }

    @Test
    void keepsAnExistingConfigAndTheTokenUnlessForced() throws Exception {
        Path config = dir.resolve("agent.properties");
        Files.writeString(config, "existing");

        int exit = enroll("--config", config.toString());

        assertThat(exit).isEqualTo(ExitCodes.CONFIG);
        assertThat(requests).isEmpty();
        assertThat(config).hasContent("existing");

        assertThat(enroll("--config", config.toString(), "--force")).isEqualTo(ExitCodes.OK);
        assertThat(AgentConfigFile.read(config).agentId()).isEqualTo("a1");
    }

    @Test
    void refusesARelativeAllowlistEntry() {
        int exit = enroll("--config", dir.resolve("agent.properties").toString(), "--allow", "/usr/bin/echo,rm");

        assertThat(exit).isEqualTo(ExitCodes.USAGE);
        assertThat(requests).isEmpty();
    }

    private int enroll(String... extra) {
        List<String> args = new ArrayList<>(List.of("enroll", "--server",
                "http://127.0.0.1:" + orchestrator.getAddress().getPort() + "/", "--token", TOKEN));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private int run(String... args) {
        CommandLine cli = MamosAgent.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }
}
