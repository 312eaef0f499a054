package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Who gets in: agents with a one-time enrollment token, API callers with a JWT of the orchestrator. */
class AuthenticationIT {

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent();

    @Test
    void enrollmentTokenWorksOnceAndIsRefusedTheSecondTime() {
        String token = mamos.api().createEnrollmentToken();

        ApiResponse first = mamos.anonymousApi().enroll(token);
        ApiResponse second = mamos.anonymousApi().enroll(token);

        assertThat(first.status()).as("first enrollment: %s", first).isEqualTo(201);
        JsonNode enrolled = first.json();
        assertThat(enrolled.path("agentId").asString()).isNotBlank();
        assertThat(enrolled.path("credential").asString()).isNotBlank();
        assertThat(enrolled.path("taskQueue").asString()).isEqualTo("mamos-agent-" + enrolled.path("agentId").asString());
        assertThat(second.status()).as("second enrollment: %s", second).isEqualTo(401);
        assertThat(second.isProblem()).as("problem+json: %s", second).isTrue();
        assertThat(second.json().path("status").asInt()).isEqualTo(401);
    }

    @Test
    void unauthenticatedApiCallIsRejected() {
        long jobsBefore = mamos.api().jobCount();

        ApiResponse list = mamos.anonymousApi().get("/api/v1/agents");
        ApiResponse submit = mamos.anonymousApi().submitJob("any-agent", "echo", List.of("hello"), 30);

        assertThat(list.status()).as("GET /api/v1/agents without a token: %s", list).isEqualTo(401);
        assertThat(submit.status()).as("POST /api/v1/jobs without a token: %s", submit).isEqualTo(401);
        assertThat(mamos.api().jobCount()).isEqualTo(jobsBefore);
    }

    @Test
    void tokenNotSignedByTheOrchestratorIsRejected() {
        ApiClient forged = mamos.anonymousApi().withBearerToken(forgedJwt());

        ApiResponse list = forged.get("/api/v1/agents");

        assertThat(list.status()).as("GET /api/v1/agents with a forged token: %s", list).isEqualTo(401);
    }

    @Test
    void decommissionedAgentRefusesToStart() throws Exception {
        Path dir = Files.createTempDirectory("mamos-decommissioned-agent");
        Path config = dir.resolve("agent").resolve("agent.properties");
        Files.createDirectories(config.getParent());
        assertThat(AgentProcess.enroll(dir, mamos.orchestrator().baseUrl(), mamos.api().createEnrollmentToken(), config))
                .isZero();
        String agentId = mamos.api().get("/api/v1/agents").expect(200).path("items").valueStream()
                .filter(agent -> {
                    try {
                        return Files.readString(config).contains(agent.path("id").asString());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })
                .findFirst().orElseThrow().path("id").asString();
        mamos.api().post("/api/v1/agents/" + agentId + "/decommission", Map.of()).expect(200);

        int exit = AgentProcess.runUntilExit(dir, config, Duration.ofSeconds(60));

        assertThat(exit).as("exit code of `mamos-agent run` after decommission").isEqualTo(6);
        assertThat(Files.readString(dir.resolve("agent.log"))).contains("refused agent " + agentId + "'s credential")
                .contains("decommissioned");
    }

    /** A well-formed JWT claiming to be admin, signed with a key the orchestrator never saw. */
    private static String forgedJwt() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(("{\"sub\":\"admin\",\"exp\":" + (System.currentTimeMillis() / 1000 + 3600)
                + "}").getBytes(StandardCharsets.UTF_8));
        String signature = base64.encodeToString("not-the-orchestrator's-signature".getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + signature;
    }
}
