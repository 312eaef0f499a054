package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.Secrets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.stereotype.Component;

/**
 * The credential an agent received at enrollment, presented as {@code Authorization: Bearer mamos_ac_...}.
 * It authenticates an agent principal (role AGENT, name = agent id) on {@code /api/v1/agent/**} only;
 * only its SHA-256 is stored, and decommissioning revokes it. The agent gateway checks it too, on
 * every Temporal call an agent makes.
 */
@Component
public class AgentCredentials {

    /** Prefix of every agent credential (see EnrollmentService); tells it apart from a JWT. */
    static final String PREFIX = "mamos_ac_";
    static final String AGENT_ROLE = "AGENT";

    private final JdbcTemplate jdbc;

    AgentCredentials(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static boolean looksLikeAgentCredential(String bearer) {
        return bearer != null && bearer.startsWith(PREFIX);
    }

    /** The agent this credential belongs to, if it is known and not revoked. */
    Authentication authenticate(String credential) {
        String agentId = agentIdFor(credential)
                .orElseThrow(() -> new InvalidBearerTokenException("the agent credential is unknown or revoked"));
        return UsernamePasswordAuthenticationToken.authenticated(agentId, null,
                List.of(new SimpleGrantedAuthority("ROLE_" + AGENT_ROLE)));
    }

    /** The id of the agent this credential belongs to, if it is a well-formed, known and unrevoked one. */
    public Optional<String> agentIdFor(String credential) {
        if (!looksLikeAgentCredential(credential)) {
            return Optional.empty();
        }
        return jdbc.queryForList("""
                SELECT id FROM agents
                WHERE credential_hash = ? AND credential_revoked_at IS NULL AND decommissioned_at IS NULL
                """, String.class, Secrets.sha256(credential)).stream().findFirst();
    }

    /** Agents whose credential was revoked at or after {@code since} (decommissioning revokes it too). */
    public List<String> revokedSince(Instant since) {
        return jdbc.queryForList("SELECT id FROM agents WHERE credential_revoked_at >= ?", String.class,
                since.toEpochMilli());
    }
}
