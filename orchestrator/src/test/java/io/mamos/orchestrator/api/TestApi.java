package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.mamos.orchestrator.auth.AccessTokens;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.auth.UserAccount;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP calls against the orchestrator under test, and a look into its Temporal. */
final class TestApi {

    /** An access token of a user of {@code role} stored under {@code username} (tokens of unknown users are refused). */
    static String storedUserToken(JdbcTemplate jdbc, AccessTokens tokens, String username, Role role) {
        var user = new UserAccount(username, "unused", role, Instant.now());
        jdbc.update("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING",
                user.username(), user.passwordHash(), role.name(), user.createdAt().toEpochMilli());
        return tokens.issue(user, null).accessToken();
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;
    private final JsonMapper json;
    private final TestBackends backends;

    TestApi(int port, JsonMapper json, TestBackends backends) {
        this.port = port;
        this.json = json;
        this.backends = backends;
    }

    HttpResponse<String> send(String method, String path, String bearer, String body) {
        return send(method, path, bearer, "application/json",
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    HttpResponse<String> send(String method, String path, String bearer, String contentType,
            HttpRequest.BodyPublisher body) {
        var request = HttpRequest.newBuilder(uri(path)).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode read(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    String createEnrollmentToken(String adminToken) {
        var response = send("POST", "/api/v1/enrollment-tokens", adminToken, "{}");
        assertThat(response.statusCode()).isEqualTo(201);
        return read(response).get("token").asString();
    }

    HttpResponse<String> enroll(String token, String hostname) {
        return send("POST", "/api/v1/enrollments", null,
                "{\"token\":\"" + token + "\",\"hostname\":\"" + hostname + "\",\"os\":\"linux\",\"agentVersion\":\"t\"}");
    }

    /** Enrolls a new agent and returns the enrollment answer (agentId, credential, taskQueue, ...). */
    JsonNode enrollAgent(String adminToken, String hostname) {
        var response = enroll(createEnrollmentToken(adminToken), hostname);
        assertThat(response.statusCode()).isEqualTo(201);
        return read(response);
    }

    /** Ids of the workflows open in Temporal (the in-process test server lists open executions only). */
    List<String> workflowIds() {
        var stubs = WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(backends.temporalTarget()).build());
        try {
            return stubs.blockingStub().listOpenWorkflowExecutions(ListOpenWorkflowExecutionsRequest.newBuilder()
                    .setNamespace("default").setMaximumPageSize(1000)
                    .setStartTimeFilter(StartTimeFilter.newBuilder()
                            .setEarliestTime(Timestamps.fromMillis(0))
                            .setLatestTime(Timestamps.fromMillis(System.currentTimeMillis() + 3_600_000)))
                    .build())
                    .getExecutionsList().stream().map(e -> e.getExecution().getWorkflowId()).toList();
        } finally {
            stubs.shutdownNow();
        }
    }

    /** Asserts an {@code application/problem+json} answer of the given kind and returns its detail. */
    String assertProblem(HttpResponse<String> response, String kind) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = read(response);
        if (kind != null) {
            assertThat(problem.get("type").asString()).endsWith("/" + kind);
        }
        assertThat(problem.get("status").asInt()).isEqualTo(response.statusCode());
        return problem.get("detail").asString();
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
