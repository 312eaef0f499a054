package io.mamos.agent.enroll;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.ProblemDetails;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the orchestrator's enrollment endpoint, the one call that needs no prior credential. */
public final class EnrollmentClient {

    static final String PATH = "/api/v1/enrollments";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public EnrollmentClient() {
        // No redirects: a redirect could carry the token to a host the user never named.
        this(HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    EnrollmentClient(HttpClient http) {
        this.http = http;
    }

    /**
     * Exchanges a one-time token for this agent's identity.
     *
     * @throws AgentException {@link ExitCodes#REFUSED} when the orchestrator rejects the request
     *                        (4xx, its problem {@code detail} as message), {@link ExitCodes#UNAVAILABLE}
     *                        when it cannot be reached or fails
     */
    public Enrollment enroll(URI server, EnrollmentRequest request) {
        URI endpoint = endpoint(server);
        HttpResponse<String> response = post(endpoint, request);
        int status = response.statusCode();
        if (status == 201) {
            return parse(endpoint, response.body());
        }
        String reason = ProblemDetails.of(response.body()) + " (HTTP " + status + " from " + endpoint + ")";
        if (status >= 400 && status < 500) {
            throw new AgentException(ExitCodes.REFUSED, "enrollment refused: " + reason);
        }
        throw new AgentException(ExitCodes.UNAVAILABLE, "enrollment failed: " + reason);
    }

    static URI endpoint(URI server) {
        String base = server.toString().replaceAll("/+$", "");
        return URI.create(base + PATH);
    }

    private HttpResponse<String> post(URI endpoint, EnrollmentRequest request) {
        try {
            HttpRequest httpRequest = HttpRequest.newBuilder(endpoint)
                    .timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, application/problem+json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)))
                    .build();
            return http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AgentException(ExitCodes.UNAVAILABLE,
                    "cannot reach the orchestrator at " + endpoint + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(ExitCodes.UNAVAILABLE, "interrupted while enrolling", e);
        }
    }

    private Enrollment parse(URI endpoint, String body) {
        try {
            Enrollment enrollment = json.readValue(body, Enrollment.class);
            if (isBlank(enrollment.agentId()) || isBlank(enrollment.credential())
                    || isBlank(enrollment.taskQueue())) {
                throw new AgentException(ExitCodes.UNAVAILABLE,
                        "enrollment answer from " + endpoint + " lacks agentId, credential or taskQueue");
            }
            return enrollment;
        } catch (IOException e) {
            throw new AgentException(ExitCodes.UNAVAILABLE,
                    "enrollment answer from " + endpoint + " is not the expected JSON", e);
        }
    }

    private static String describe(IOException e) {
        // Some, like ConnectException, carry no message: their type is the explanation.
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getSimpleName();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
