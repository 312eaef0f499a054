package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.mamos.orchestrator.auth.AccessTokens;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.auth.SigningKeys;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile and broken requests against the running orchestrator. Each must get a 4xx
 * {@code application/problem+json} whose detail says what was wrong, and leave no trace:
 * no job, agent, user or token row written, no workflow started.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-bad-input-test");
    private static final String JOBS = "/api/v1/jobs";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.enrollment.failed-attempts-per-minute", () -> "1000");
        registry.add("mamos.auth.failed-logins-per-minute", () -> "1000");
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    AccessTokens accessTokens;

    @Autowired
    SigningKeys signingKeys;

    @Autowired
    JdbcTemplate jdbc;

    private TestApi api;
    private String agentId;
    private String agentCredential;

    @BeforeAll
    void enrollAnAgent() {
        api = new TestApi(port, json, BACKENDS);
        token(Role.OPERATOR);
        token(Role.VIEWER);
        var agent = api.enrollAgent(token(Role.ADMIN), "bad-input-agent");
        agentId = agent.get("agentId").asString();
        agentCredential = agent.get("credential").asString();
    }

    @AfterAll
    void stopBackends() {
        BACKENDS.close();
    }

    /**
     * One bad request: who sends it (a bearer, or a function of this test's fixtures), what, and
     * what must come back. {@code {agent}} in a body stands for a real enrolled agent's id.
     */
    record BadRequest(String name, String method, String path, Function<BadInputTest, String> bearer,
            String contentType, String body, int status, String detailContains) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<BadRequest> cases() {
        Function<BadInputTest, String> operator = test -> test.token(Role.OPERATOR);
        Function<BadInputTest, String> admin = test -> test.token(Role.ADMIN);
        return List.of(
                // Bodies that are not the JSON the endpoint takes
                bad("malformed JSON", operator, JOBS, "{\"agentId\":\"{agent}\",\"command\":\"echo\"", 400,
                        "malformed JSON"),
                bad("not JSON at all", operator, JOBS, "agentId={agent}&command=echo", 400, "malformed JSON"),
                bad("empty body", operator, JOBS, "", 400, "missing"),
                bad("wrong type: timeout as text", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"timeoutSeconds\":\"soon\"}", 400,
                        "'timeoutSeconds' has the wrong type"),
                bad("wrong type: args as a string", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"args\":\"hi\"}", 400, "'args' has the wrong type"),
                bad("wrong type: command as an object", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":{\"name\":\"echo\"}}", 400, "'command' has the wrong type"),
                bad("unknown field", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"shell\":true}", 400, "unknown field 'shell'"),
                new BadRequest("wrong content type", "POST", JOBS, operator, "text/plain",
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\"}", 415, "text/plain"),
                bad("missing fields", operator, JOBS, "{\"timeoutSeconds\":0}", 400, "agentId"),
                bad("too many arguments", operator, JOBS, "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"args\":["
                        + "\"a\",".repeat(64) + "\"a\"]}", 400, "args"),
                // Commands the policy refuses
                bad("command outside the whitelist", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"bash\",\"args\":[\"-c\",\"id\"]}", 422, "not whitelisted"),
                bad("executable path as command", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"/usr/bin/echo\"}", 422, "not whitelisted"),
                bad("shell metacharacters in a patterned argument", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"sleep\",\"args\":[\"1; touch /tmp/pwned\"]}", 422,
                        "violates pattern"),
                bad("command substitution in a patterned argument", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"uname\",\"args\":[\"-a$(id)\"]}", 422, "violates pattern"),
                bad("NUL in an argument", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"args\":[\"a\\u0000b\"]}", 422, "NUL"),
                bad("path traversal with ..", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"cat\",\"args\":[\"/proc/cpuinfo/../../etc/shadow\"]}", 422,
                        "must be an absolute path under"),
                bad("path traversal from an allowed file", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"cat\",\"args\":[\"/etc/os-release/../shadow\"]}", 422,
                        "must be an absolute path under"),
                bad("relative path", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"cat\",\"args\":[\"../../etc/passwd\"]}", 422,
                        "must be an absolute path under"),
                bad("timeout over the policy maximum", operator, JOBS,
                        "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"timeoutSeconds\":999999}", 422,
                        "must be between 1 and"),
                bad("unknown agent", operator, JOBS, "{\"agentId\":\"no-such-agent\",\"command\":\"echo\"}", 404,
                        "no-such-agent"),
                // Credentials that are not valid, or not enough
                bad("no token", test -> null, JOBS, VALID_JOB, 401, "Bearer access token is required"),
                bad("expired token", BadInputTest::expiredToken, JOBS, VALID_JOB, 401, "expired"),
                bad("token signed with another key", BadInputTest::foreignKeyToken, JOBS, VALID_JOB, 401, "rejected"),
                bad("unsigned token (alg none)", BadInputTest::unsignedToken, JOBS, VALID_JOB, 401, "rejected"),
                bad("tampered claims", BadInputTest::tamperedToken, JOBS, VALID_JOB, 401, "rejected"),
                bad("token from another issuer", BadInputTest::foreignIssuerToken, JOBS, VALID_JOB, 401, "iss"),
                bad("garbage token", test -> "not-a-jwt", JOBS, VALID_JOB, 401, "rejected"),
                bad("agent credential on the user API", test -> test.agentCredential, JOBS, VALID_JOB, 401,
                        "agent credential is accepted only on /api/v1/agent/**"),
                bad("viewer submits a job", test -> test.token(Role.VIEWER), JOBS, VALID_JOB, 403,
                        "your role does not allow this: POST /api/v1/jobs"),
                bad("operator creates a user", operator, "/api/v1/users",
                        "{\"username\":\"mallory\",\"password\":\"correct horse battery\",\"role\":\"ADMIN\"}", 403,
                        "your role does not allow"),
                bad("operator creates an enrollment token", operator, "/api/v1/enrollment-tokens", "{}", 403,
                        "your role does not allow"),
                // Other bodies
                bad("user with an unknown field", admin, "/api/v1/users",
                        "{\"username\":\"eve\",\"password\":\"correct horse battery\",\"role\":\"VIEWER\",\"admin\":true}",
                        400, "unknown field 'admin'"),
                bad("user with an unknown role", admin, "/api/v1/users",
                        "{\"username\":\"eve\",\"password\":\"correct horse battery\",\"role\":\"ROOT\"}", 400,
                        "'role' has the wrong type"),
                bad("user name with shell metacharacters", admin, "/api/v1/users",
                        "{\"username\":\"eve;rm\",\"password\":\"correct horse battery\",\"role\":\"VIEWER\"}", 400,
                        "username"),
                bad("enrollment token with a text lifetime", admin, "/api/v1/enrollment-tokens",
                        "{\"ttlSeconds\":\"forever\"}", 400, "'ttlSeconds' has the wrong type"),
                bad("enrollment token with a lifetime over 30 days", admin, "/api/v1/enrollment-tokens",
                        "{\"ttlSeconds\":99999999}", 400, "ttlSeconds"),
                bad("enrollment with an unknown field", test -> null, "/api/v1/enrollments",
                        "{\"token\":\"mamos_et_x\",\"hostname\":\"h\",\"agentId\":\"chosen\"}", 400,
                        "unknown field 'agentId'"),
                bad("enrollment with an overlong hostname", test -> null, "/api/v1/enrollments",
                        "{\"token\":\"mamos_et_x\",\"hostname\":\"" + "h".repeat(300) + "\"}", 400, "hostname"),
                bad("refresh with an unknown field", test -> null, "/api/v1/auth/refresh",
                        "{\"refreshToken\":\"mamos_rt_x\",\"username\":\"admin\"}", 400, "unknown field 'username'"),
                bad("login with a wrong type", test -> null, "/api/v1/auth/token",
                        "{\"username\":[\"admin\"],\"password\":\"x\"}", 400, "'username' has the wrong type"));
    }

    private static final String VALID_JOB = "{\"agentId\":\"{agent}\",\"command\":\"echo\",\"args\":[\"hi\"]}";

    private static BadRequest bad(String name, Function<BadInputTest, String> bearer, String path, String body,
            int status, String detailContains) {
        return new BadRequest(name, "POST", path, bearer, "application/json", body, status, detailContains);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithAProblemAndLeavesNoTrace(BadRequest bad) {
        var before = traces();

        var response = api.send(bad.method(), bad.path(), bad.bearer().apply(this), bad.contentType(),
                HttpRequest.BodyPublishers.ofString(bad.body().replace("{agent}", agentId)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(bad.status());
        assertThat(api.assertProblem(response, null)).contains(bad.detailContains());
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void oversizedBodyWithItsLengthDeclaredIsRefusedBeforeItIsRead() {
        var before = traces();
        String body = "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"" + "x".repeat(2 << 20) + "\"]}";

        var response = api.send("POST", JOBS, token(Role.OPERATOR), body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(api.assertProblem(response, "request-too-large")).contains("larger than the limit of 1048576 bytes");
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void oversizedChunkedBodyIsRefusedWhileItIsRead() {
        var before = traces();
        byte[] body = ("{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"" + "x".repeat(2 << 20) + "\"]}")
                .getBytes(StandardCharsets.UTF_8);

        // No length known up front: the client sends it chunked.
        var response = api.send("POST", JOBS, token(Role.OPERATOR), "application/json",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(api.assertProblem(response, "request-too-large")).contains("larger than the limit");
        assertThat(traces()).isEqualTo(before);
    }

    @Test
    void shellMetacharactersInAFreeArgumentReachTheCommandLiterally() {
        List<String> args = List.of("$(touch /tmp/pwned)", "; rm -rf /", "`id`", "| cat /etc/shadow", "&& reboot", "*");

        var response = api.send("POST", JOBS, token(Role.OPERATOR),
                json.writeValueAsString(Map.of("agentId", agentId, "command", "echo", "args", args)));

        // echo takes any argument: it is accepted, and the arguments are kept exactly as given,
        // to be passed as argv (no shell ever parses them; see ProcessRunner).
        assertThat(response.statusCode()).isEqualTo(202);
        var job = api.read(response);
        assertThat(job.get("args").valueStream().map(arg -> arg.asString()).toList()).isEqualTo(args);
        String stored = jdbc.queryForObject("SELECT args_json FROM jobs WHERE id = ?", String.class,
                job.get("id").asString());
        assertThat(json.readValue(stored, String[].class)).containsExactlyElementsOf(args);
    }

    /** Everything a request could leave behind: rows of every table it might write, and workflows. */
    private Map<String, Object> traces() {
        return Map.of(
                "jobs", count("jobs"),
                "agents", count("agents"),
                "users", count("users"),
                "enrollment_tokens", count("enrollment_tokens"),
                "refresh_tokens", count("refresh_tokens"),
                "workflows", api.workflowIds().size());
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    /** A token of a user of {@code role}; the user exists (tokens of unknown users are refused). */
    String token(Role role) {
        return TestApi.storedUserToken(jdbc, accessTokens, "bad-input-" + role.name().toLowerCase(), role);
    }

    private String expiredToken() {
        Instant past = Instant.now().minusSeconds(3600);
        return sign(claims("mamos", Role.ADMIN).issueTime(Date.from(past.minusSeconds(900)))
                .expirationTime(Date.from(past)).build(), signingKeys.privateKey());
    }

    private String foreignKeyToken() {
        try {
            var generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return sign(claims("mamos", Role.ADMIN).build(), generator.generateKeyPair().getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String foreignIssuerToken() {
        return sign(claims("https://evil.example", Role.ADMIN).build(), signingKeys.privateKey());
    }

    private String unsignedToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(claims("mamos", Role.ADMIN).build().toString()
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + payload + ".";
    }

    /** A real viewer token whose payload is rewritten to claim ADMIN; the signature no longer fits. */
    private String tamperedToken() {
        String[] parts = token(Role.VIEWER).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("VIEWER", "ADMIN");
        return parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    }

    private static JWTClaimsSet.Builder claims(String issuer, Role role) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer).subject("bad-input-forger").issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).claim("roles", List.of(role.name()));
    }

    private static String sign(JWTClaimsSet claims, PrivateKey key) {
        try {
            var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

}
