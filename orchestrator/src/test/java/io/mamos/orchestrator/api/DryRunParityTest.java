package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.auth.AccessTokens;
import io.mamos.orchestrator.auth.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v1/jobs/dry-run} refuses and accepts exactly what {@code POST /api/v1/jobs}
 * refuses and accepts: one table of submissions, each sent to both, must get the same status
 * class and problem type; the dry run must leave nothing behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunParityTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-dry-run-test");
    private static final Path POLICY = builtInPolicyPlusAnAdminOnlyCommand();
    private static final String JOBS = "/api/v1/jobs";
    private static final String DRY_RUN = "/api/v1/jobs/dry-run";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.policy-file", POLICY::toString);
        // No agent heartbeats here: a long liveness interval keeps the agents marked online below online.
        registry.add("mamos.liveness.interval", () -> "1h");
        // Small enough for two runs of a long command to exceed it.
        registry.add("mamos.jobs.max-history-bytes", () -> "4KB");
    }

    private static Path builtInPolicyPlusAnAdminOnlyCommand() {
        try (var builtIn = DryRunParityTest.class.getResourceAsStream("/policy/default-policy.yml")) {
            Path file = Files.createTempFile("mamos-dry-run-policy", ".yml");
            Files.writeString(file, new String(builtIn.readAllBytes(), StandardCharsets.UTF_8) + """
                      admin-only:
                        description: Succeed, for admins only
                        executable: /usr/bin/true
                        roles: [ADMIN]
                    """);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    AccessTokens accessTokens;

    @Autowired
    JdbcTemplate jdbc;

    private TestApi api;
    private String web;
    private String db;
    private String decommissioned;

    @BeforeAll
    void enrollAgents() {
        api = new TestApi(port, json, BACKENDS);
        String admin = token(Role.ADMIN);
        web = enroll(admin, "parity-web", "{\"labels\":{\"env\":\"prod\",\"role\":\"web\"}}");
        db = enroll(admin, "parity-db", "{\"labels\":{\"env\":\"prod\",\"role\":\"db\"}}");
        decommissioned = enroll(admin, "parity-gone", "{}");
        assertThat(api.send("POST", "/api/v1/agents/" + decommissioned + "/decommission", admin, null).statusCode())
                .isEqualTo(200);
        // No agent process heartbeats in this test; mark the two as the liveness workflow would, so
        // selectors and all=true have online agents to resolve to.
        jdbc.update("UPDATE agents SET status = 'ONLINE' WHERE id IN (?, ?)", web, db);
    }

    @AfterAll
    void stopBackends() {
        BACKENDS.close();
    }

    /** One submission, who sends it, and the outcome both endpoints must agree on. */
    record Case(String name, Role role, String body, int status, String problemType) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                accepted("one agent by id", "{\"agentId\":\"{web}\",\"command\":\"echo\",\"args\":[\"hi\"]}"),
                accepted("listed agents", "{\"targets\":{\"agentIds\":[\"{web}\",\"{db}\"]},\"command\":\"uptime\"}"),
                accepted("a selector", "{\"targets\":{\"selector\":\"env=prod,role in (web)\"},\"command\":\"echo\"}"),
                accepted("all online agents, rolled out", "{\"targets\":{\"all\":true},\"command\":\"echo\","
                        + "\"concurrency\":\"50%\",\"maxFailures\":1,\"retry\":{\"maxAttempts\":2,\"backoffSeconds\":1}}"),
                new Case("an admin-only command, by an admin", Role.ADMIN,
                        "{\"agentId\":\"{web}\",\"command\":\"admin-only\"}", 200, null),
                refused("an admin-only command, by an operator", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"admin-only\"}", 403, "command-forbidden"),
                refused("a viewer", Role.VIEWER, "{\"agentId\":\"{web}\",\"command\":\"echo\"}", 403, "forbidden"),
                refused("a command outside the whitelist", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"bash\",\"args\":[\"-c\",\"id\"]}", 422, "policy-violation"),
                refused("an argument against its pattern", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"sleep\",\"args\":[\"1; id\"]}", 422, "policy-violation"),
                refused("a timeout over the policy's maximum", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"echo\",\"timeoutSeconds\":999999}", 422, "policy-violation"),
                refused("a selector that does not parse", Role.OPERATOR,
                        "{\"targets\":{\"selector\":\"env in (prod\"},\"command\":\"echo\"}", 400, "invalid-request"),
                refused("a selector that matches no online agent", Role.OPERATOR,
                        "{\"targets\":{\"selector\":\"env=staging\"},\"command\":\"echo\"}", 422, "no-targets"),
                refused("two ways of targeting", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"targets\":{\"all\":true},\"command\":\"echo\"}", 400, "invalid-request"),
                refused("an unknown agent", Role.OPERATOR, "{\"agentId\":\"no-such-agent\",\"command\":\"echo\"}", 404,
                        "not-found"),
                refused("a decommissioned agent", Role.OPERATOR,
                        "{\"agentId\":\"{gone}\",\"command\":\"echo\"}", 409, "agent-decommissioned"),
                refused("an agent listed twice", Role.OPERATOR,
                        "{\"targets\":{\"agentIds\":[\"{web}\",\"{web}\"]},\"command\":\"echo\"}", 400, "invalid-request"),
                refused("a concurrency that is no amount", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"echo\",\"concurrency\":\"lots\"}", 400, "invalid-request"),
                refused("an unknown field", Role.OPERATOR,
                        "{\"agentId\":\"{web}\",\"command\":\"echo\",\"shell\":true}", 400, null),
                refused("malformed JSON", Role.OPERATOR, "{\"agentId\":", 400, null),
                accepted("a long command on one agent", "{\"agentId\":\"{web}\",\"command\":\"echo\",\"args\":"
                        + LONG_ARGS + "}"),
                refused("a long command fanned out past the history budget", Role.OPERATOR,
                        "{\"targets\":{\"agentIds\":[\"{web}\",\"{db}\"]},\"command\":\"echo\",\"args\":" + LONG_ARGS
                                + "}", 422, "job-too-large"));
    }

    /** Two 1,500-character arguments: about 3 KB of command in each run's input. */
    private static final String LONG_ARGS = "[\"" + "a".repeat(1_500) + "\",\"" + "b".repeat(1_500) + "\"]";

    private static Case accepted(String name, String body) {
        return new Case(name, Role.OPERATOR, body, 200, null);
    }

    private static Case refused(String name, Role role, String body, int status, String problemType) {
        return new Case(name, role, body, status, problemType);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void dryRunAnswersWhatSubmittingWouldAndWritesNothing(Case c) {
        String body = c.body().replace("{web}", web).replace("{db}", db).replace("{gone}", decommissioned);
        String bearer = token(c.role());
        var before = traces();

        var dryRun = api.send("POST", DRY_RUN, bearer, body);

        assertThat(traces()).as("what the dry run left behind").isEqualTo(before);
        var submit = api.send("POST", JOBS, bearer, body);
        if (c.status() == 200) {
            assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(200);
            assertThat(submit.statusCode()).as(submit.body()).isEqualTo(202);
            JsonNode plan = api.read(dryRun);
            JsonNode job = api.read(submit);
            assertThat(plan.get("command").asString()).isEqualTo(job.get("command").asString());
            assertThat(plan.get("agents").size()).isEqualTo(job.get("runCount").asInt());
            assertThat(plan.get("timeoutSeconds").asLong()).isEqualTo(job.get("timeoutSeconds").asLong());
        } else {
            assertThat(dryRun.statusCode()).as(dryRun.body()).isEqualTo(c.status());
            assertThat(submit.statusCode()).as(submit.body()).isEqualTo(c.status());
            assertThat(problemType(dryRun)).isEqualTo(problemType(submit));
            if (c.problemType() != null) {
                assertThat(problemType(dryRun)).endsWith("/" + c.problemType());
            }
            // The security layer's 403 names the path called; nothing else may differ.
            assertThat(api.read(dryRun).get("detail").asString().replace(DRY_RUN, JOBS))
                    .isEqualTo(api.read(submit).get("detail").asString());
        }
    }

    private String problemType(java.net.http.HttpResponse<String> response) {
        api.assertProblem(response, null);
        return api.read(response).get("type").asString();
    }

    private String enroll(String admin, String hostname, String tokenBody) {
        var token = api.send("POST", "/api/v1/enrollment-tokens", admin, tokenBody);
        assertThat(token.statusCode()).as(token.body()).isEqualTo(201);
        var enrolled = api.enroll(api.read(token).get("token").asString(), hostname);
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
        return api.read(enrolled).get("agentId").asString();
    }

    /** A token of a user of {@code role}; the user exists (tokens of unknown users are refused). */
    private String token(Role role) {
        return TestApi.storedUserToken(jdbc, accessTokens, "parity-" + role.name().toLowerCase(), role);
    }

    /** Everything a submission writes: jobs, runs, audit entries, workflows. */
    private Map<String, Object> traces() {
        return Map.of(
                "jobs", count("jobs"),
                "runs", count("job_runs"),
                "audit", count("audit_events"),
                // Jobs' workflows only: those of earlier jobs start their runs' workflows meanwhile.
                "job workflows", api.workflowIds().stream().filter(id -> id.startsWith("job-") && !id.contains("-run-"))
                        .count());
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }
}
