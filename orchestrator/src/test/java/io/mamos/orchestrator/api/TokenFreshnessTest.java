package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mamos.orchestrator.auth.SigningKeys;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/** An access token speaks for its user as the store has them now, and only until its own expiry. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TokenFreshnessTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-token-freshness-test");
    private static final String PASSWORD = "freshness password 123";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.auth.failed-logins-per-minute", () -> "1000");
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
    SigningKeys signingKeys;

    private TestApi api;
    private String adminToken;

    @BeforeEach
    void logInAsAdmin() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        adminToken = login("admin", Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip());
    }

    @Test
    void aDemotedAdminsTokenLosesAdminRightsOnItsNextRequest() {
        createUser("ada", "ADMIN");
        String adaToken = login("ada", PASSWORD);
        assertThat(api.send("GET", "/api/v1/users", adaToken, null).statusCode()).isEqualTo(200);

        assertThat(api.send("PUT", "/api/v1/users/ada/role", adminToken, "{\"role\":\"VIEWER\"}").statusCode())
                .isEqualTo(200);

        var createUser = api.send("POST", "/api/v1/users", adaToken,
                "{\"username\":\"ada-minion\",\"password\":\"" + PASSWORD + "\",\"role\":\"ADMIN\"}");
        assertThat(createUser.statusCode()).isEqualTo(403);
        assertThat(api.send("GET", "/api/v1/users", adminToken, null).body()).doesNotContain("ada-minion");
        assertThat(api.send("GET", "/api/v1/agents", adaToken, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aDeletedUsersTokenIsRefusedOnItsNextRequest() {
        createUser("dora", "OPERATOR");
        String doraToken = login("dora", PASSWORD);

        assertThat(api.send("DELETE", "/api/v1/users/dora", adminToken, null).statusCode()).isEqualTo(204);

        var refused = api.send("GET", "/api/v1/agents", doraToken, null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(refused, "unauthenticated")).contains("does not exist");
    }

    @Test
    void aGenuinelySignedTokenWithoutExpiryIsRefused() {
        String token = sign(new JWTClaimsSet.Builder().issuer("mamos").subject("admin")
                .issueTime(Date.from(Instant.now())).claim("roles", List.of("ADMIN")).build());

        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenIsRefusedOnceItsExpiryHasPassedWithNoGraceMinute() {
        Instant now = Instant.now();
        String token = sign(new JWTClaimsSet.Builder().issuer("mamos").subject("admin")
                .issueTime(Date.from(now.minusSeconds(900))).expirationTime(Date.from(now.minusSeconds(5)))
                .claim("roles", List.of("ADMIN")).build());

        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(401);
    }

    private String sign(JWTClaimsSet claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
                    .keyID(signingKeys.keyId()).build(), claims);
            jwt.sign(new RSASSASigner(signingKeys.privateKey()));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private String login(String username, String password) {
        var response = api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.read(response).get("accessToken").asString();
    }

    private void createUser(String username, String role) {
        var response = api.send("POST", "/api/v1/users", adminToken,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }
}
