package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
