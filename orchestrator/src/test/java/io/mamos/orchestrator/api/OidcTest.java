package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tokens of an external OpenID Connect provider: a real local HTTP server publishes the
 * provider's discovery document and JWK set; roles come from a nested claim.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OidcTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-oidc-test");
    private static final RSAKey PROVIDER_KEY = rsaKey("provider");
    private static final HttpServer PROVIDER = startProvider();
    private static final String ISSUER = "http://127.0.0.1:" + PROVIDER.getAddress().getPort() + "/realms/ops";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.auth.oidc.issuer-uri", () -> ISSUER);
        registry.add("mamos.auth.oidc.role-claim", () -> "realm_access.roles");
        registry.add("mamos.auth.oidc.audience", () -> "mamos");
    }

    @AfterAll
    static void stop() {
        PROVIDER.stop(0);
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    private TestApi api;

    @BeforeEach
    void client() {
        api = new TestApi(port, json, BACKENDS);
    }

    @Test
    void providerOperatorMayRunJobsButNotManageUsers() {
        String token = providerToken(PROVIDER_KEY, ISSUER, "mamos", Map.of("roles", List.of("operator", "offline_access")));

        assertThat(api.send("GET", "/api/v1/jobs", token, null).statusCode()).isEqualTo(200);
        assertThat(api.send("POST", "/api/v1/jobs", token, "{\"agentId\":\"no-such-agent\",\"command\":\"echo\"}")
                .statusCode()).as("past authorization, to the unknown agent").isEqualTo(404);
        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void providerTokenWithoutAKnownRoleIsForbidden() {
        String token = providerToken(PROVIDER_KEY, ISSUER, "mamos", Map.of("roles", List.of("offline_access")));

        assertThat(api.send("GET", "/api/v1/agents", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void rolesOutsideTheConfiguredClaimGrantNothing() {
        String token = sign(PROVIDER_KEY, claims(ISSUER, "mamos").claim("roles", List.of("ADMIN")).build());

        assertThat(api.send("GET", "/api/v1/agents", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void tokenNamingTheProviderButSignedWithAnotherKeyIsRejected() {
        String token = providerToken(rsaKey("provider"), ISSUER, "mamos", Map.of("roles", List.of("admin")));

        var response = api.send("GET", "/api/v1/agents", token, null);

        assertThat(response.statusCode()).isEqualTo(401);
        api.assertProblem(response, "unauthenticated");
    }

    @Test
    void providerTokenForAnotherAudienceIsRejected() {
        String token = providerToken(PROVIDER_KEY, ISSUER, "grafana", Map.of("roles", List.of("admin")));

        var response = api.send("GET", "/api/v1/agents", token, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(response, "unauthenticated")).contains("audience");
    }

    @Test
    void theOrchestratorsOwnTokensStillWork() throws Exception {
        String password = Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
        var login = api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
        String token = api.read(login).get("accessToken").asString();

        assertThat(api.send("GET", "/api/v1/users", token, null).statusCode()).isEqualTo(200);
    }

    private static String providerToken(RSAKey key, String issuer, String audience, Map<String, Object> realmAccess) {
        return sign(key, claims(issuer, audience).claim("realm_access", realmAccess).build());
    }

    private static JWTClaimsSet.Builder claims(String issuer, String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("f3b1c2d4")
                .claim("preferred_username", "olga").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The provider: its discovery document and its public key set, as a real OIDC server serves them. */
    private static HttpServer startProvider() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/ops";
            serve(server, "/realms/ops/.well-known/openid-configuration", "{\"issuer\":\"" + base
                    + "\",\"jwks_uri\":\"" + base + "/protocol/openid-connect/certs\",\"subject_types_supported\":"
                    + "[\"public\"],\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
            serve(server, "/realms/ops/protocol/openid-connect/certs", new JWKSet(PROVIDER_KEY.toPublicJWK()).toString());
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void serve(HttpServer server, String path, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }
}
