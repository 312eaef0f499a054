package io.mamos.agent.run;

import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.ProblemDetails;
import io.mamos.agent.config.AgentConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start-up, asks the orchestrator who this agent is ({@code GET /api/v1/agent/self} with the
 * agent's credential). A refused credential (401/403: decommissioned or revoked) stops the agent;
 * anything else that goes wrong (orchestrator down, a server error) is only a warning, because
 * agents must keep working through orchestrator outages.
 */
final class CredentialCheck {

    static final String PATH = "/api/v1/agent/self";
    private static final Logger log = LoggerFactory.getLogger(CredentialCheck.class);

    private final HttpClient http;
    private final Duration timeout;

    CredentialCheck(Duration timeout) {
        this.timeout = timeout;
        // No redirects: a redirect could carry the credential to a host the operator never named.
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @return whether the orchestrator confirmed the credential (false: it could not be asked)
     * @throws AgentException {@link ExitCodes#CREDENTIAL_REVOKED} when the orchestrator refuses it
     */
    boolean verify(AgentConfig config) {
        URI endpoint = URI.create(config.serverUrl().toString().replaceAll("/+$", "") + PATH);
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(endpoint).timeout(timeout)
                    .header("Authorization", "Bearer " + config.credential())
                    .header("Accept", "application/json, application/problem+json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            log.warn("cannot reach the orchestrator at {} to check this agent's credential ({}); "
                    + "running anyway", endpoint, e.getClass().getSimpleName());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw new AgentException(ExitCodes.CREDENTIAL_REVOKED, "the orchestrator at " + config.serverUrl()
                    + " refused agent " + config.agentId() + "'s credential: " + ProblemDetails.of(response.body())
                    + " (HTTP " + status + "); the agent was probably decommissioned: enroll it again with a new token");
        }
        if (status != 200) {
            log.warn("the orchestrator at {} answered HTTP {} to the credential check; running anyway", endpoint,
                    status);
            return false;
        }
        log.info("the orchestrator confirmed agent {}", config.agentId());
        return true;
    }
}
