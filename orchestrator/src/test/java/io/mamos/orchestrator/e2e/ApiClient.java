package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The orchestrator's REST API as the tests use it: plain HTTP, JSON, optional bearer token. */
final class ApiClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String baseUrl;
    private final String bearerToken;

    private ApiClient(HttpClient http, String baseUrl, String bearerToken) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken;
    }

    /** A client without credentials. */
    static ApiClient anonymous(String baseUrl) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return new ApiClient(http, baseUrl, null);
    }

    /** Logs in as admin and returns a client that sends the issued JWT. */
    ApiClient loggedIn(String adminPassword) {
        JsonNode token = post("/api/v1/auth/token", Map.of("username", "admin", "password", adminPassword)).expect(200);
        return withBearerToken(token.path("accessToken").asString());
    }

    ApiClient withBearerToken(String token) {
        return new ApiClient(http, baseUrl, token);
    }

    ApiResponse get(String path) {
        return send("GET", path, null);
    }

    ApiResponse post(String path, Object body) {
        return send("POST", path, body);
    }

    /** A fresh one-time enrollment token (the secret itself). */
    String createEnrollmentToken() {
        return createEnrollmentToken(Map.of());
    }

    /** A token whose agent gets these labels. */
    String createEnrollmentToken(Map<String, String> labels) {
        return post("/api/v1/enrollment-tokens", Map.of("ttlSeconds", 600, "labels", labels)).expect(201)
                .path("token").asString();
    }

    ApiResponse enroll(String enrollmentToken) {
        return post("/api/v1/enrollments", Map.of(
                "token", enrollmentToken, "hostname", "e2e-host", "os", "Linux", "agentVersion", "e2e"));
    }

    ApiResponse submitJob(String agentId, String command, List<String> args, int timeoutSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("agentId", agentId);
        body.put("command", command);
        body.put("args", args);
        body.put("timeoutSeconds", timeoutSeconds);
        return post("/api/v1/jobs", body);
    }

    /** Submits a job that must be accepted, and returns its id. */
    String submitAcceptedJob(String agentId, String command, List<String> args, int timeoutSeconds) {
        return submitJob(agentId, command, args, timeoutSeconds).expect(202).path("id").asString();
    }

    JsonNode job(String jobId) {
        return get("/api/v1/jobs/" + jobId).expect(200);
    }

    /**
     * Polls the job until its state is one of {@code states} or terminal (so a job that ends
     * unexpectedly fails the test at once, not at the deadline); returns the job as then read.
     */
    JsonNode awaitJobState(String jobId, Set<String> states, Duration timeout) {
        return Poll.until("job " + jobId + " to reach one of " + states, timeout, () -> job(jobId), job -> {
            String state = job.path("state").asString();
            return states.contains(state) || JobStates.TERMINAL.contains(state);
        });
    }

    /** Polls the job until it reached a terminal state (see io.mamos.workflows.JobState). */
    JsonNode awaitJobEnd(String jobId, Duration timeout) {
        return awaitJobState(jobId, JobStates.TERMINAL, timeout);
    }

    ApiResponse delete(String path) {
        return send("DELETE", path, null);
    }

    /** The job's runs (first page of up to 500), in target order. */
    java.util.List<JsonNode> runs(String jobId) {
        java.util.List<JsonNode> runs = new java.util.ArrayList<>();
        get("/api/v1/jobs/" + jobId + "/runs?size=500").expect(200).path("items").forEach(runs::add);
        return runs;
    }

    long jobCount() {
        return get("/api/v1/jobs?page=0&size=1").expect(200).path("total").asLong();
    }

    private ApiResponse send(String method, String path, Object body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(TIMEOUT)
                .header("Accept", "application/json, application/problem+json");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(Json.write(body)));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(method + " " + path, response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + baseUrl + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }
}
