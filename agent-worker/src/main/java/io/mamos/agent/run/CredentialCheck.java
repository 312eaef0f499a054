package io.mamos.agent.run;

import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.ProblemDetails;
import io.mamos.agent.config.AgentConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
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

    private final Duration timeout;

    /*
     * HttpURLConnection, not java.net.http.HttpClient: a HttpClient sets up TLS (JSSE, the trust
     * store) even for an http:// URL and brings ~800 classes that stay loaded for the life of this
     * long-running process (about 9 MB of its idle RSS, docs/AGENT.md); this is one GET at start-up.
     */
    CredentialCheck(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * @return whether the orchestrator confirmed the credential (false: it could not be asked)
     * @throws AgentException {@link ExitCodes#CREDENTIAL_REVOKED} when the orchestrator refuses it
     */
    boolean verify(AgentConfig config) {
        URI endpoint = URI.create(config.serverUrl().toString().replaceAll("/+$", "") + PATH);
        int status;
        String body;
        HttpURLConnection http = null;
        try {
            http = (HttpURLConnection) endpoint.toURL().openConnection();
            // No redirects: a redirect could carry the credential to a host the operator never named.
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            http.setConnectTimeout(Math.toIntExact(timeout.toMillis()));
            http.setReadTimeout(Math.toIntExact(timeout.toMillis()));
            http.setRequestProperty("Authorization", "Bearer " + config.credential());
            http.setRequestProperty("Accept", "application/json, application/problem+json");
            status = http.getResponseCode();
            body = readBody(http, status);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot reach the orchestrator at {} to check this agent's credential ({}); "
                    + "running anyway", endpoint, e.getClass().getSimpleName());
            return false;
        } finally {
            if (http != null) {
                http.disconnect();
            }
        }
        if (status == 401 || status == 403) {
            throw new AgentException(ExitCodes.CREDENTIAL_REVOKED, "the orchestrator at " + config.serverUrl()
                    + " refused agent " + config.agentId() + "'s credential: " + ProblemDetails.of(body)
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

    /** The response's body (the error stream for 4xx/5xx), or "" when there is none. */
    private static String readBody(HttpURLConnection http, int status) throws IOException {
        try (InputStream in = status >= 400 ? http.getErrorStream() : http.getInputStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
