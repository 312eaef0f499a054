package io.mamos.orchestrator.enrollment;

import io.mamos.orchestrator.agent.Agent;
import io.mamos.orchestrator.agent.AgentEnrolled;
import io.mamos.orchestrator.agent.AgentStatus;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.Secrets;
import io.mamos.orchestrator.job.CommandSigner;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.TaskQueues;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import io.mamos.orchestrator.agent.Labels;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class EnrollmentService {

    static final String TOKEN_PREFIX = "mamos_et_";
    static final String CREDENTIAL_PREFIX = "mamos_ac_";
    static final Duration MAX_TTL = Duration.ofDays(30);
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private static final Logger log = LoggerFactory.getLogger(EnrollmentService.class);

    private final EnrollmentTokenRepository tokens;
    private final JdbcAggregateTemplate template;
    private final MamosProperties properties;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final CommandSigner signer;

    EnrollmentService(EnrollmentTokenRepository tokens, JdbcAggregateTemplate template, MamosProperties properties,
            ApplicationEventPublisher events, JsonMapper json, CommandSigner signer) {
        this.json = json;
        this.signer = signer;
        this.tokens = tokens;
        this.template = template;
        this.properties = properties;
        this.events = events;
    }

    /** Creates a token; the returned secret is the only copy there will ever be. */
    @Transactional
    public CreatedToken createToken(String createdBy, Duration ttl, Map<String, String> labels) {
        Map<String, String> tokenLabels = Labels.validated(labels);
        Duration effective = ttl == null ? properties.enrollment().defaultTtl() : ttl;
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String secret = Secrets.generate(TOKEN_PREFIX);
        var token = new EnrollmentToken(UUID.randomUUID().toString(), Secrets.sha256(secret), createdBy, now,
                now.plus(effective), null, null, null, json.writeValueAsString(tokenLabels));
        template.insert(token);
        log.info("enrollment token {} created by {}, expires {}", token.id(), createdBy, token.expiresAt());
        return new CreatedToken(token.id(), secret, token.expiresAt(), tokenLabels);
    }

    /**
     * Spends the token and records the new agent in one transaction: either both happen or
     * neither does, and a token can be spent once only.
     */
    @Transactional
    public Enrollment enroll(String tokenSecret, String hostname, String os, String agentVersion,
            String gatewayTarget) {
        String agentId = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String credential = Secrets.generate(CREDENTIAL_PREFIX);
        var agent = new Agent(agentId, hostname, os, agentVersion, TaskQueues.forAgent(agentId),
                Secrets.sha256(credential), AgentStatus.ENROLLED, now, null, null, null, null, null, null, "{}");
        template.insert(agent);
        if (tokens.claim(Secrets.sha256(tokenSecret), agentId, now.toEpochMilli()) != 1) {
            // Rolls back the agent row too.
            throw new InvalidEnrollmentTokenException();
        }
        // The agent gets the labels the token carries.
        tokens.copyLabelsToAgent(agentId);
        Map<String, String> labels = json.readValue(
                template.findById(agentId, Agent.class).labelsJson(), LABELS);
        log.info("agent {} enrolled from host {} with labels {}", agentId, hostname, labels);
        events.publishEvent(new AgentEnrolled(agentId));
        return new Enrollment(agentId, credential, agent.taskQueue(),
                gatewayTarget, properties.gateway().tls().enabled(), properties.temporal().namespace(), labels,
                signer.publicKeyBase64());
    }

    /** Revokes an unused token; refuses (409) to revoke one that was used or already revoked. */
    @Transactional
    public void revokeToken(String id, String user) {
        var token = tokens.findById(id).orElseThrow(() -> new NotFoundException("enrollment token", id));
        if (tokens.revoke(id, Instant.now().toEpochMilli()) != 1) {
            throw new ConflictException("enrollment-token-not-revocable", "Token cannot be revoked",
                    "enrollment token " + id + " is " + token.state(Instant.now()).toLowerCase()
                            + " and can no longer be revoked");
        }
        log.info("enrollment token {} revoked by {}", id, user);
    }

    public record CreatedToken(String id, String token, Instant expiresAt, Map<String, String> labels) {
    }

    /**
     * @param temporalTarget   the agent gateway, the only Temporal endpoint the agent reaches (with its credential)
     * @param temporalTls      whether the gateway serves TLS
     * @param commandPublicKey the key agents pin to verify signed commands (base64 X.509 Ed25519)
     */
    public record Enrollment(String agentId, String credential, String taskQueue, String temporalTarget,
            boolean temporalTls, String temporalNamespace, Map<String, String> labels,
            String commandPublicKey) {
    }
}
