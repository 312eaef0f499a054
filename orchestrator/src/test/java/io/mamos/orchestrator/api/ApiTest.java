package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.mamos.workflows.CommandSignatures;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * The REST API against a real SQLite file and a real Temporal gRPC endpoint (the SDK's
 * in-process test server bound to a port). No agent runs here: that is the end-to-end suite.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-api-test");
    private static final Path DATA_DIR = BACKENDS.dataDir();
    private static final Path POLICY = builtInPolicyPlusAnAdminOnlyCommand();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        // The concurrent-enrollment test alone refuses 19 attempts from one address.
        registry.add("mamos.enrollment.failed-attempts-per-minute", () -> "1000");
        registry.add("mamos.policy-file", POLICY::toString);
    }

    /** The built-in policy, so the other tests see the usual commands, and one command only admins may run. */
    private static Path builtInPolicyPlusAnAdminOnlyCommand() {
        try (var builtIn = ApiTest.class.getResourceAsStream("/policy/default-policy.yml")) {
            Path file = DATA_DIR.resolveSibling(DATA_DIR.getFileName() + "-policy.yml");
            Files.writeString(file, new String(builtIn.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8) + """
                      admin-only:
                        description: Succeed, for admins only
                        executable: /usr/bin/true
                        roles: [ADMIN]
                    """);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
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
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private String adminToken;

    @BeforeEach
    void logIn() throws Exception {
        String password = Files.readString(DATA_DIR.resolve("admin-password")).strip();
        var response = post("/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        adminToken = json.readTree(response.body()).get("accessToken").asString();
    }

    @Test
    void adminPasswordFileIsReadableByItsOwnerOnly() throws Exception {
        assertThat(Files.getPosixFilePermissions(DATA_DIR.resolve("admin-password")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(DATA_DIR.resolve("jwt-signing-key.pem")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void wrongPasswordIsRejectedWithProblemJson() throws Exception {
        var response = post("/api/v1/auth/token", null, "{\"username\":\"admin\",\"password\":\"wrong\"}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertProblem(response, "invalid-credentials");
    }

    @Test
    void apiCallWithoutBearerTokenIsRejected() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/api/v1/agents")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertProblem(response, "unauthenticated");
    }

    @Test
    void forgedBearerTokenIsRejected() throws Exception {
        String[] parts = adminToken.split("\\.");
        String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        var response = http.send(HttpRequest.newBuilder(uri("/api/v1/agents"))
                .header("Authorization", "Bearer " + forged).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void twentyConcurrentEnrollmentsWithOneTokenEnrollExactlyOneAgent() throws Exception {
        String token = createEnrollmentToken();
        long agentsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM agents", Long.class);
        int attempts = 20;
        var start = new CountDownLatch(1);
        var pool = Executors.newFixedThreadPool(attempts);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            int n = i;
            Callable<HttpResponse<String>> enroll = () -> {
                start.await();
                return enroll(token, "host-" + n);
            };
            results.add(pool.submit(enroll));
        }
        start.countDown();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (var result : results) {
            responses.add(result.get());
        }
        pool.shutdown();

        assertThat(responses).filteredOn(response -> response.statusCode() == 201).hasSize(1);
        var refused = responses.stream().filter(response -> response.statusCode() != 201).toList();
        assertThat(refused).hasSize(attempts - 1).allSatisfy(response -> {
            assertThat(response.statusCode()).isBetween(400, 499);
            assertProblem(response, null);
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM agents", Long.class)).isEqualTo(agentsBefore + 1);
    }

    @Test
    void agentCredentialIdentifiesItsAgentUntilDecommission() throws Exception {
        JsonNode enrolled = json.readTree(enroll(createEnrollmentToken(), "gone-1").body());
        String agentId = enrolled.get("agentId").asString();
        String credential = enrolled.get("credential").asString();

        var self = api().send("GET", "/api/v1/agent/self", credential, null);
        assertThat(self.statusCode()).isEqualTo(200);
        assertThat(json.readTree(self.body()).get("id").asString()).isEqualTo(agentId);
        assertThat(json.readTree(self.body()).get("taskQueue").asString()).isEqualTo("mamos-agent-" + agentId);
        assertThat(json.readTree(self.body()).get("status").asString()).isEqualTo("ENROLLED");

        assertThat(post("/api/v1/agents/" + agentId + "/decommission", adminToken, "").statusCode()).isEqualTo(200);

        var revoked = api().send("GET", "/api/v1/agent/self", credential, null);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(api().assertProblem(revoked, "unauthenticated")).contains("unknown or revoked");
    }

    @Test
    void enrollmentReturnsTheAgentsOwnTaskQueueAndNeverStoresTheToken() throws Exception {
        String token = createEnrollmentToken();
        var response = enroll(token, "web-1");

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("taskQueue").asString()).isEqualTo("mamos-agent-" + body.get("agentId").asString());
        assertThat(body.get("credential").asString()).startsWith("mamos_ac_");
        assertThat(CommandSignatures.publicKey(body.get("commandPublicKey").asString()).getAlgorithm())
                .isIn("Ed25519", "EdDSA");
        var tokens = get("/api/v1/enrollment-tokens");
        assertThat(tokens.body()).doesNotContain(token).contains("USED");
        var agent = get("/api/v1/agents/" + body.get("agentId").asString());
        assertThat(agent.body()).doesNotContain(body.get("credential").asString()).contains("web-1");
    }

    @Test
    void jobOutsideTheWhitelistIsRefusedAndNothingReachesTemporal() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "db-1").body()).get("agentId").asString();
        long workflowsBefore = workflowCount();
        long jobsBefore = json.readTree(get("/api/v1/jobs").body()).get("total").asLong();

        var response = post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"bash\",\"args\":[\"-c\",\"id\"]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertProblem(response, "policy-violation");
        assertThat(json.readTree(get("/api/v1/jobs").body()).get("total").asLong()).isEqualTo(jobsBefore);
        assertThat(workflowCount()).isEqualTo(workflowsBefore);
    }

    @Test
    void pathTraversalIsRefusedNamingTheArgumentAndTheRule() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "log-1").body()).get("agentId").asString();
        long jobsBefore = json.readTree(get("/api/v1/jobs").body()).get("total").asLong();

        var response = post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"cat\",\"args\":[\"/var/log/../../etc/shadow\"]}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertProblem(response, "policy-violation");
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("argument 1 ('file') of 'cat' violates pathPrefix");
        assertThat(json.readTree(get("/api/v1/jobs").body()).get("total").asLong()).isEqualTo(jobsBefore);
    }

    @Test
    void operatorIsForbiddenACommandForAdminsOnlyAndNothingIsStoredButAnAdminMayRunIt() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "roles-1").body()).get("agentId").asString();
        assertThat(post("/api/v1/users", adminToken,
                "{\"username\":\"olga\",\"password\":\"correct horse battery\",\"role\":\"OPERATOR\"}")
                .statusCode()).isEqualTo(201);
        String operator = json.readTree(post("/api/v1/auth/token", null,
                "{\"username\":\"olga\",\"password\":\"correct horse battery\"}").body())
                .get("accessToken").asString();
        String body = "{\"agentId\":\"" + agentId + "\",\"command\":\"admin-only\"}";
        long jobsBefore = json.readTree(get("/api/v1/jobs").body()).get("total").asLong();
        long workflowsBefore = workflowCount();

        var forbidden = post("/api/v1/jobs", operator, body);

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertProblem(forbidden, "command-forbidden");
        assertThat(json.readTree(forbidden.body()).get("detail").asString()).contains("not by OPERATOR");
        assertThat(json.readTree(get("/api/v1/jobs").body()).get("total").asLong()).isEqualTo(jobsBefore);
        assertThat(workflowCount()).isEqualTo(workflowsBefore);
        assertThat(post("/api/v1/jobs", operator,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"true\"}").statusCode()).isEqualTo(202);
        assertThat(post("/api/v1/jobs", adminToken, body).statusCode()).isEqualTo(202);
    }

    @Test
    void timeoutAboveTheCommandsMaximumIsRefused() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "slow-1").body()).get("agentId").asString();

        var response = post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"hi\"],\"timeoutSeconds\":61}");

        assertThat(response.statusCode()).isEqualTo(422);
        assertProblem(response, "policy-violation");
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("timeoutSeconds of 'echo' must be between 1 and 60");
    }

    @Test
    void commandListingShowsEachCommandsRules() throws Exception {
        JsonNode commands = json.readTree(get("/api/v1/commands").body()).get("items");
        JsonNode cat = null;
        JsonNode date = null;
        for (JsonNode command : commands) {
            if (command.get("name").asString().equals("cat")) {
                cat = command;
            } else if (command.get("name").asString().equals("date")) {
                date = command;
            }
        }

        assertThat(cat).isNotNull();
        assertThat(cat.get("rest").get("pathPrefix").toString()).contains("/var/log/");
        assertThat(cat.get("maxTimeoutSeconds").asLong()).isEqualTo(60);
        assertThat(cat.get("roles").toString()).contains("ADMIN").contains("OPERATOR");
        assertThat(date).isNotNull();
        assertThat(date.get("args").get(0).get("enum").toString()).contains("-u");
    }

    @Test
    void acceptedJobStartsItsWorkflowNamedAfterTheJob() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "app-1").body()).get("agentId").asString();

        var response = post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"hi\"],\"timeoutSeconds\":30}");

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode job = json.readTree(response.body());
        assertThat(job.get("workflowId").asString()).isEqualTo("job-" + job.get("id").asString());
        assertThat(job.get("temporalUrl").asString()).endsWith("/workflows/job-" + job.get("id").asString());
        assertThat(workflowIds()).contains("job-" + job.get("id").asString());
    }

    @Test
    void jobForUnknownAgentIsNotFound() throws Exception {
        var response = post("/api/v1/jobs", adminToken, "{\"agentId\":\"nope\",\"command\":\"echo\"}");

        assertThat(response.statusCode()).isEqualTo(404);
        assertProblem(response, "not-found");
    }

    @Test
    void malformedJobRequestSaysWhichFieldsAreWrong() throws Exception {
        var response = post("/api/v1/jobs", adminToken, "{\"timeoutSeconds\":0}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("detail").asString())
                .contains("agentId").contains("command").contains("timeoutSeconds");
    }

    @Test
    void liveFeedPushesJobChangesToATicketHolder() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "live-1").body()).get("agentId").asString();
        String ticket = json.readTree(post("/api/v1/live/tickets", adminToken, "").body()).get("ticket").asString();
        var messages = new java.util.concurrent.LinkedBlockingQueue<String>();
        var socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://localhost:" + port + "/ws/events?ticket=" + ticket),
                        new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket webSocket,
                                    CharSequence data, boolean last) {
                                messages.add(data.toString());
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, java.util.concurrent.TimeUnit.SECONDS);

        String jobId = json.readTree(post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"true\"}").body()).get("id").asString();

        String message = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        while (message != null && !message.contains(jobId)) {
            message = messages.poll(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThat(message).isNotNull();
        assertThat(json.readTree(message).get("type").asString()).isEqualTo("job");
        socket.abort();
    }

    @Test
    void liveFeedRefusesAMissingOrReusedTicket() throws Exception {
        String ticket = json.readTree(post("/api/v1/live/tickets", adminToken, "").body()).get("ticket").asString();
        var listener = new java.net.http.WebSocket.Listener() {
        };
        http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + "/ws/events?ticket=" + ticket),
                listener).get(10, java.util.concurrent.TimeUnit.SECONDS).abort();

        for (String url : List.of("/ws/events", "/ws/events?ticket=" + ticket)) {
            var attempt = http.newWebSocketBuilder().buildAsync(URI.create("ws://localhost:" + port + url), listener);
            assertThat(attempt).failsWithin(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void revokedEnrollmentTokenCannotEnrollAndAUsedOneCannotBeRevoked() throws Exception {
        var created = json.readTree(post("/api/v1/enrollment-tokens", adminToken, "{}").body());
        var used = json.readTree(post("/api/v1/enrollment-tokens", adminToken, "{}").body());
        assertThat(enroll(used.get("token").asString(), "used-1").statusCode()).isEqualTo(201);

        var revoked = send("DELETE", "/api/v1/enrollment-tokens/" + created.get("id").asString());
        var revokeUsed = send("DELETE", "/api/v1/enrollment-tokens/" + used.get("id").asString());

        assertThat(revoked.statusCode()).isEqualTo(204);
        assertThat(enroll(created.get("token").asString(), "revoked-1").statusCode()).isEqualTo(401);
        assertThat(revokeUsed.statusCode()).isEqualTo(409);
        assertProblem(revokeUsed, "enrollment-token-not-revocable");
        assertThat(get("/api/v1/enrollment-tokens").body()).contains("REVOKED");
    }

    @Test
    void auditLogRecordsWhoDidWhatAndCannotBeRewritten() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "audited-1").body()).get("agentId").asString();
        String jobId = json.readTree(post("/api/v1/jobs", adminToken,
                "{\"agentId\":\"" + agentId + "\",\"command\":\"true\"}").body()).get("id").asString();

        JsonNode audit = json.readTree(get("/api/v1/audit?size=500").body());

        assertThat(audit.get("items").toString())
                .contains("\"action\":\"login\"")
                .contains("enrollment-token.created")
                .contains("\"action\":\"agent.enrolled\",\"target\":\"" + agentId)
                .contains("\"action\":\"job.submitted\",\"target\":\"" + jobId)
                .doesNotContain("mamos_et_").doesNotContain("mamos_ac_");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET actor = 'x'"))
                .hasMessageContaining("append-only");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events"))
                .hasMessageContaining("append-only");
    }

    @Test
    void viewerCanReadButCannotRunJobsOrAdminister() throws Exception {
        String agentId = json.readTree(enroll(createEnrollmentToken(), "viewed-1").body()).get("agentId").asString();
        var created = post("/api/v1/users", adminToken,
                "{\"username\":\"vera\",\"password\":\"correct horse battery\",\"role\":\"VIEWER\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String viewer = json.readTree(post("/api/v1/auth/token", null,
                "{\"username\":\"vera\",\"password\":\"correct horse battery\"}").body()).get("accessToken").asString();

        var read = http.send(HttpRequest.newBuilder(uri("/api/v1/agents")).header("Authorization", "Bearer " + viewer)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        var submit = post("/api/v1/jobs", viewer, "{\"agentId\":\"" + agentId + "\",\"command\":\"true\"}");
        var token = post("/api/v1/enrollment-tokens", viewer, "{}");
        var user = post("/api/v1/users", viewer,
                "{\"username\":\"mallory\",\"password\":\"correct horse battery\",\"role\":\"ADMIN\"}");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(submit.statusCode()).isEqualTo(403);
        assertProblem(submit, "forbidden");
        assertThat(token.statusCode()).isEqualTo(403);
        assertThat(user.statusCode()).isEqualTo(403);
    }

    @Test
    void userManagementRefusesDuplicatesWeakPasswordsAndSelfDeletion() throws Exception {
        String body = "{\"username\":\"otto\",\"password\":\"correct horse battery\",\"role\":\"OPERATOR\"}";
        assertThat(post("/api/v1/users", adminToken, body).statusCode()).isEqualTo(201);

        var duplicate = post("/api/v1/users", adminToken, body);
        var weak = post("/api/v1/users", adminToken,
                "{\"username\":\"weak\",\"password\":\"short\",\"role\":\"OPERATOR\"}");
        var self = send("DELETE", "/api/v1/users/admin");
        var deleted = send("DELETE", "/api/v1/users/otto");

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertProblem(duplicate, "user-exists");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(json.readTree(weak.body()).get("detail").asString()).contains("password");
        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(get("/api/v1/users").body()).doesNotContain("otto").doesNotContain("password");
    }

    @Test
    void badFanOutSubmissionsAreProblemsAndRecordNothing() throws Exception {
        String a = agentIdOf(enroll(createEnrollmentToken(), "fan-a"));
        String b = agentIdOf(enroll(createEnrollmentToken(), "fan-b"));
        long jobsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Long.class);
        long runsBefore = jdbc.queryForObject("SELECT COUNT(*) FROM job_runs", Long.class);
        List<String> workflowsBefore = workflowIds();
        String echo = "\"command\":\"echo\",\"args\":[\"x\"]";
        Object[][] cases = {
            {"{\"agentId\":\"" + a + "\",\"targets\":{\"all\":true}," + echo + "}", 400, "exactly one of"},
            {"{\"targets\":{}," + echo + "}", 400, "exactly one of"},
            {"{\"targets\":{\"selector\":\"env=(\"}," + echo + "}", 400, "invalid selector"},
            {"{\"targets\":{\"selector\":\"env=nowhere\"}," + echo + "}", 422, "matched no online agent"},
            {"{\"targets\":{\"all\":true}," + echo + "}", 422, "all online agents matched no online agent"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\",\"" + a + "\"]}," + echo + "}", 400, "listed twice"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\",\"nope\"]}," + echo + "}", 404, "nope"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\"]},\"concurrency\":\"abc\"," + echo + "}", 400,
                "concurrency"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\"]},\"maxFailures\":\"150%\"," + echo + "}", 400,
                "maxFailures"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\"]},\"retry\":{\"maxAttempts\":0}," + echo + "}", 400,
                "maxAttempts"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\"]},\"jobTimeoutSeconds\":0," + echo + "}", 400,
                "jobTimeoutSeconds"},
            {"{\"targets\":{\"agentIds\":[\"" + a + "\",\"" + b + "\"]},\"command\":\"rm\"}", 422, "rm"},
        };
        for (Object[] c : cases) {
            var response = post("/api/v1/jobs", adminToken, (String) c[0]);
            assertThat(response.statusCode()).as("%s -> %s", c[0], response.body()).isEqualTo(c[1]);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(response.body()).get("detail").asString()).as("%s", c[0]).contains((String) c[2]);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM jobs", Long.class)).isEqualTo(jobsBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_runs", Long.class)).isEqualTo(runsBefore);
        assertThat(workflowIds()).containsExactlyInAnyOrderElementsOf(workflowsBefore);
    }

    @Test
    void fanOutJobRecordsItsResolvedTargetsAndCancelEndsEveryRun() throws Exception {
        String a = agentIdOf(enroll(createEnrollmentToken(), "cancel-a"));
        String b = agentIdOf(enroll(createEnrollmentToken(), "cancel-b"));
        // No agent polls here, so both runs wait for their agents until cancelled.
        var submitted = post("/api/v1/jobs", adminToken, "{\"targets\":{\"agentIds\":[\"" + a + "\",\"" + b
                + "\"]},\"command\":\"echo\",\"args\":[\"x\"],\"concurrency\":\"50%\",\"maxFailures\":1}");
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        JsonNode job = json.readTree(submitted.body());
        String id = job.get("id").asString();
        assertThat(job.get("runCount").asInt()).isEqualTo(2);
        assertThat(job.get("targets").get("agentIds")).hasSize(2);
        assertThat(job.get("concurrency").asString()).isEqualTo("50%");
        assertThat(job.get("agentId").isNull()).as("no single-run fields on a fan-out job").isTrue();

        var runs = json.readTree(get("/api/v1/jobs/" + id + "/runs").body());
        assertThat(runs.get("total").asInt()).isEqualTo(2);
        assertThat(runs.get("items").get(0).get("agentId").asString()).isEqualTo(a);
        assertThat(runs.get("items").get(0).get("hostname").asString()).isEqualTo("cancel-a");

        assertThat(post("/api/v1/jobs/" + id + "/cancel", adminToken, "").statusCode()).isEqualTo(202);
        JsonNode ended = null;
        for (int i = 0; i < 100 && (ended == null || !ended.get("state").asString().equals("CANCELED")); i++) {
            Thread.sleep(100);
            ended = json.readTree(get("/api/v1/jobs/" + id).body());
        }
        assertThat(ended.get("state").asString()).as("%s", ended).isEqualTo("CANCELED");
        // With concurrency 1 (50% of 2), one run was dispatched and cancelled; the other never started.
        assertThat(ended.get("summary").get("CANCELED").asInt()).isEqualTo(2);
        var canceledRuns = json.readTree(get("/api/v1/jobs/" + id + "/runs?state=CANCELED").body());
        assertThat(canceledRuns.get("total").asInt()).isEqualTo(2);
        assertThat(canceledRuns.get("items").get(1).get("error").asString()).contains("before this run started");
    }

    @Test
    void adminSetsAgentLabelsAndBadLabelsChangeNothing() throws Exception {
        String token = json.readTree(post("/api/v1/enrollment-tokens", adminToken,
                "{\"labels\":{\"env\":\"staging\"}}").body()).get("token").asString();
        var enrolled = enroll(token, "labelled");
        String id = agentIdOf(enrolled);
        assertThat(json.readTree(enrolled.body()).get("labels").get("env").asString()).isEqualTo("staging");

        var updated = put("/api/v1/agents/" + id + "/labels", "{\"labels\":{\"env\":\"prod\",\"role\":\"db\"}}");
        var bad = put("/api/v1/agents/" + id + "/labels", "{\"labels\":{\"env\":\"prod; rm\"}}");

        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertProblem(bad, "invalid-request");
        JsonNode labels = json.readTree(get("/api/v1/agents/" + id).body()).get("labels");
        assertThat(labels.get("env").asString()).isEqualTo("prod");
        assertThat(labels.get("role").asString()).isEqualTo("db");
    }

    @Test
    void homePageLinksTheDashboardTheApiAndHealthWithoutAToken() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("href=\"http://localhost:3000\"", "href=\"/swagger-ui.html\"",
                "href=\"/v3/api-docs\"", "href=\"/health\"");
    }

    @Test
    void browsableApiPageIsServedWithoutAToken() throws Exception {
        var page = http.send(HttpRequest.newBuilder(uri("/swagger-ui/index.html")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        var config = http.send(HttpRequest.newBuilder(uri("/v3/api-docs/swagger-config")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Swagger UI");
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(json.readTree(config.body()).get("url").asString()).isEqualTo("/v3/api-docs");
    }

    /**
     * The dashboard's API types are generated from dashboard/lib/api/openapi.json (see
     * dashboard/README.md); that copy must be the description this orchestrator serves.
     */
    @Test
    void dashboardsCopyOfTheApiDescriptionIsCurrent() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode live = json.readTree(response.body());
        ((tools.jackson.databind.node.ObjectNode) live).remove("servers");

        JsonNode committed = json.readTree(Files.readString(Path.of("..", "dashboard", "lib", "api", "openapi.json")));

        assertThat(committed).as("dashboard/lib/api/openapi.json is stale: run `npm run api:generate` in dashboard/"
                + " with the orchestrator running").isEqualTo(live);
    }

    @Test
    void openApiDescriptionCoversJobsRunsSchedulesAndLabels() throws Exception {
        var response = http.send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode api = json.readTree(response.body());
        assertThat(api.get("openapi").asString()).startsWith("3.");
        List<String> paths = new ArrayList<>(api.get("paths").propertyNames());
        assertThat(paths).contains("/api/v1/jobs", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/runs",
                "/api/v1/jobs/{id}/cancel", "/api/v1/schedules", "/api/v1/schedules/{id}/pause",
                "/api/v1/schedules/{id}/resume", "/api/v1/schedules/{id}/trigger", "/api/v1/agents/{id}/labels",
                "/api/v1/enrollment-tokens", "/api/v1/enrollments", "/api/v1/jobs/dry-run",
                "/api/v1/schedules/preview");
        JsonNode submission = api.get("components").get("schemas").get("JobSubmission").get("properties");
        assertThat(submission.has("targets")).isTrue();
        assertThat(submission.has("retry")).isTrue();
    }

    @Autowired
    io.mamos.orchestrator.job.JobService jobService;

    @Test
    void secondRunOfTheSameScheduleFiringRecordsNothingAndKeepsTheFirstJob() throws Exception {
        String agent = agentIdOf(enroll(createEnrollmentToken(), "scheduled"));
        var submission = io.mamos.orchestrator.job.JobSubmission.onAgent(agent, "echo", List.of("tick"), 10L);
        String firing = "scheduled-s1-2026-11-25T07:41:50Z";

        var first = jobService.recordScheduledJob(submission, io.mamos.orchestrator.auth.Role.OPERATOR, firing,
                "run-1", "s1", "schedule:s1");
        var retried = jobService.recordScheduledJob(submission, io.mamos.orchestrator.auth.Role.OPERATOR, firing,
                "run-1", "s1", "schedule:s1");
        var secondRun = jobService.recordScheduledJob(submission, io.mamos.orchestrator.auth.Role.OPERATOR, firing,
                "run-2", "s1", "schedule:s1");

        assertThat(first).isNotNull();
        assertThat(retried.jobId()).as("a retried recording is the same job").isEqualTo(first.jobId());
        assertThat(secondRun).as("a second run of the firing").isNull();
        assertThat(jdbc.queryForList("SELECT id FROM jobs WHERE workflow_id = ?", String.class, firing))
                .containsExactly(first.jobId());
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM job_runs WHERE job_id = ?", Long.class, first.jobId()))
                .isEqualTo(1);
    }

    private String agentIdOf(HttpResponse<String> enrolled) {
        assertThat(enrolled.statusCode()).as(enrolled.body()).isEqualTo(201);
        return json.readTree(enrolled.body()).get("agentId").asString();
    }

    private HttpResponse<String> put(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + adminToken)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String createEnrollmentToken() {
        return api().createEnrollmentToken(adminToken);
    }

    private HttpResponse<String> enroll(String token, String hostname) {
        return api().enroll(token, hostname);
    }

    private long workflowCount() {
        return workflowIds().size();
    }

    private List<String> workflowIds() {
        return api().workflowIds();
    }

    private void assertProblem(HttpResponse<String> response, String kind) {
        api().assertProblem(response, kind);
    }

    private TestApi api() {
        return new TestApi(port, json, BACKENDS);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + adminToken).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String bearer, String body) throws Exception {
        var request = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
