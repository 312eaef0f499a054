package io.mamos.agent.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The two admin calls a simulated fleet needs: log in as admin, and mint one-time enrollment
 * tokens (one per simulated agent, since a token is spent by one enrollment).
 */
final class AdminClient {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String accessToken;

    private AdminClient(String base, String accessToken) {
        this.base = base;
        this.accessToken = accessToken;
    }

    static AdminClient login(URI server, String adminPassword) {
        String base = server.toString().replaceAll("/+$", "");
        AdminClient anonymous = new AdminClient(base, null);
        JsonNode answer = anonymous.post("/api/v1/auth/token", Map.of("username", "admin", "password", adminPassword));
        return new AdminClient(base, answer.path("accessToken").asText());
    }

    /** A fresh one-time enrollment token (the secret, not its id). */
    String newEnrollmentToken() {
        return post("/api/v1/enrollment-tokens", Map.of("ttlSeconds", 3600)).path("token").asText();
    }

    private JsonNode post(String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            if (accessToken != null) {
                request.header("Authorization", "Bearer " + accessToken);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                // The body of a refused login or token request names no secret; the status is enough.
                throw new AgentException(ExitCodes.REFUSED, "POST " + path + " answered HTTP " + response.statusCode());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new AgentException(ExitCodes.UNAVAILABLE, "cannot reach the orchestrator at " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ExitCodes.UNAVAILABLE, "interrupted while calling " + path, e);
        }
    }
}
