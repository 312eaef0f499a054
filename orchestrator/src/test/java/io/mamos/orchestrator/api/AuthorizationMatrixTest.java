package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.auth.AccessTokens;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.auth.UserAccount;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint × every kind of caller → the status it must get, against the real app.
 * Authorized callers get the endpoint's own answer (200, 201, or 400/404 for the deliberately
 * harmless ids and bodies used here), so the table proves the gate and not merely "not 403".
 * To cover a new endpoint, add one row.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-authz-test");

    /** The callers: no credential, a user of each role (a fresh access token per call), an agent. */
    enum Caller { ANONYMOUS, VIEWER, OPERATOR, ADMIN, AGENT }

    private static final String VIEWER_PASSWORD = "viewer password 123";
    private static final String LOGIN_VIEWER = "{\"username\":\"matrix-viewer\",\"password\":\"" + VIEWER_PASSWORD + "\"}";

    /** {@code {agent}} in a path stands for the id of a real enrolled agent. */
    private static final List<Row> MATRIX = List.of(
            //   method and path                                      body                  anon view  oper admin agent
            row("GET /health",                                        null,                 200, 200, 200, 200, 401),
            row("GET /metrics",                                       null,                 200, 200, 200, 200, 401),
            row("POST /api/v1/auth/token",                            LOGIN_VIEWER,         200, 200, 200, 200, 401),
            row("POST /api/v1/auth/refresh",                          "{\"refreshToken\":\"mamos_rt_x\"}",
                                                                                            401, 401, 401, 401, 401),
            row("POST /api/v1/auth/logout",                           null,                 401, 204, 204, 204, 401),
            row("POST /api/v1/enrollments",                           "{\"token\":\"mamos_et_x\",\"hostname\":\"h\"}",
                                                                                            401, 401, 401, 401, 401),
            row("GET /api/v1/config",                                 null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/commands",                               null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/agents",                                 null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/agents/{agent}",                         null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/agents/{agent}/metrics",                 null,                 401, 200, 200, 200, 401),
            row("POST /api/v1/agents/no-such-agent/decommission",     null,                 401, 403, 403, 404, 401),
            row("GET /api/v1/agent/self",                             null,                 401, 403, 403, 403, 200),
            row("GET /api/v1/jobs",                                   null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/jobs/no-such-job",                       null,                 401, 404, 404, 404, 401),
            row("POST /api/v1/jobs",                                  "{\"agentId\":\"no-such-agent\",\"command\":\"echo\"}",
                                                                                            401, 403, 404, 404, 401),
            row("POST /api/v1/jobs/no-such-job/cancel",               null,                 401, 403, 404, 404, 401),
            row("GET /api/v1/jobs/no-such-job/runs",                  null,                 401, 404, 404, 404, 401),
            row("PUT /api/v1/agents/{agent}/labels",                  "{\"labels\":{\"env\":\"prod\"}}",
                                                                                            401, 403, 403, 200, 401),
            row("GET /api/v1/schedules",                              null,                 401, 200, 200, 200, 401),
            row("GET /api/v1/schedules/no-such-schedule",             null,                 401, 404, 404, 404, 401),
            row("POST /api/v1/schedules",                             "{}",                 401, 403, 400, 400, 401),
            row("POST /api/v1/schedules/no-such-schedule/pause",      null,                 401, 403, 404, 404, 401),
            row("POST /api/v1/schedules/no-such-schedule/resume",     null,                 401, 403, 404, 404, 401),
            row("POST /api/v1/schedules/no-such-schedule/trigger",    null,                 401, 403, 404, 404, 401),
            row("DELETE /api/v1/schedules/no-such-schedule",          null,                 401, 403, 404, 404, 401),
            row("GET /v3/api-docs",                                   null,                 200, 200, 200, 200, 401),
            row("POST /api/v1/live/tickets",                          null,                 401, 201, 201, 201, 401),
            row("GET /api/v1/audit",                                  null,                 401, 403, 403, 200, 401),
            row("GET /api/v1/users",                                  null,                 401, 403, 403, 200, 401),
            row("POST /api/v1/users",                                 "{}",                 401, 403, 403, 400, 401),
            row("PUT /api/v1/users/no-such-user/role",                "{\"role\":\"VIEWER\"}",
                                                                                            401, 403, 403, 404, 401),
            row("DELETE /api/v1/users/no-such-user",                  null,                 401, 403, 403, 404, 401),
            row("GET /api/v1/enrollment-tokens",                      null,                 401, 403, 403, 200, 401),
            row("POST /api/v1/enrollment-tokens",                     "{}",                 401, 403, 403, 201, 401),
            row("DELETE /api/v1/enrollment-tokens/no-such-token",     null,                 401, 403, 403, 404, 401),
            // Prometheus presents its own token file; no user or agent credential opens it.
            row("GET /api/v1/prometheus/targets",                     null,                 401, 401, 401, 401, 401),
            // Anything unmapped is still behind authentication: no probing for paths.
            row("GET /api/v1/no-such-endpoint",                       null,                 401, 404, 404, 404, 401),
            row("GET /api/v1/agent/no-such-endpoint",                 null,                 401, 403, 403, 403, 404));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        // The enrollment row fails on purpose, once per caller, every run.
        registry.add("mamos.enrollment.failed-attempts-per-minute", () -> "1000");
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    AccessTokens accessTokens;

    @Autowired
    JdbcAggregateTemplate template;

    @Autowired
    org.springframework.security.crypto.password.PasswordEncoder passwordEncoder;

    private TestApi api;
    private String agentId;
    private String agentCredential;

    @BeforeAll
    void enrollAnAgentAndCreateUsers() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        for (Role role : Role.values()) {
            template.insert(new UserAccount(userName(role), passwordEncoder.encode(VIEWER_PASSWORD), role, Instant.now()));
        }
        var agent = api.enrollAgent(token(Caller.ADMIN), "matrix-agent");
        agentId = agent.get("agentId").asString();
        agentCredential = agent.get("credential").asString();
        assertThat(Files.exists(BACKENDS.dataDir().resolve("admin-password"))).isTrue();
    }

    @AfterAll
    void stopBackends() {
        BACKENDS.close();
    }

    static Stream<Arguments> cases() {
        return MATRIX.stream().flatMap(row -> Stream.of(Caller.values())
                .map(caller -> Arguments.of(row.method() + " " + row.path(), caller, row)));
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cases")
    void callerGetsTheExpectedStatus(String endpoint, Caller caller, Row row) {
        var response = api.send(row.method(), row.path().replace("{agent}", agentId), token(caller), row.body());

        assertThat(response.statusCode()).as("%s as %s: %s", endpoint, caller, response.body())
                .isEqualTo(row.expected(caller));
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            api.assertProblem(response, null);
        }
    }

    private String token(Caller caller) {
        return switch (caller) {
            case ANONYMOUS -> null;
            case AGENT -> agentCredential;
            case VIEWER -> userToken(Role.VIEWER);
            case OPERATOR -> userToken(Role.OPERATOR);
            case ADMIN -> userToken(Role.ADMIN);
        };
    }

    private String userToken(Role role) {
        return accessTokens.issue(new UserAccount(userName(role), "unused", role, Instant.now()), null).accessToken();
    }

    private static String userName(Role role) {
        return "matrix-" + role.name().toLowerCase();
    }

    private static Row row(String methodAndPath, String body, int anonymous, int viewer, int operator, int admin,
            int agent) {
        String[] parts = methodAndPath.split(" ", 2);
        return new Row(parts[0], parts[1], body, new int[] {anonymous, viewer, operator, admin, agent});
    }

    record Row(String method, String path, String body, int[] expected) {
        int expected(Caller caller) {
            return expected[caller.ordinal()];
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }
}
