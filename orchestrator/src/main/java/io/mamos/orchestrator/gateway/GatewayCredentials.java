package io.mamos.orchestrator.gateway;

import io.mamos.orchestrator.config.Secrets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which agent a credential presented to the gateway belongs to: the orchestrator's own check
 * ({@link io.mamos.orchestrator.auth.AgentCredentials}, the one {@code /api/v1/agent/**} uses), remembered for a short while so
 * a long-poll loop does not read the store on every call. Revocations are read from the store every
 * {@code revocation-check-interval}: a revoked agent's cached entry is dropped and its open calls are cut.
 */
final class GatewayCredentials {

    /** Revocations are read with this overlap, so one committed just after a read's start is not missed. */
    private static final Duration OVERLAP = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(GatewayCredentials.class);

    private record Checked(String agentId, Instant at) {
    }

    /** The store's answers: which agent a credential names, and which agents were revoked since a moment. */
    interface Store {
        Optional<String> agentIdFor(String credential);

        List<String> revokedSince(Instant since);
    }

    private final Store credentials;
    private final Duration ttl;
    private final Clock clock;
    /** Keyed by the credential's SHA-256, so no credential is kept in memory longer than a call. */
    private final Map<String, Checked> cache = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();
    private volatile Instant lastRead;

    GatewayCredentials(Store credentials, Duration ttl, Clock clock) {
        this.credentials = credentials;
        this.ttl = ttl;
        this.clock = clock;
        this.lastRead = clock.instant();
    }

    /** The agent this credential authenticates, if it is known and not revoked. */
    Optional<String> agentFor(String credential) {
        String hash = Secrets.sha256(credential);
        Checked checked = cache.get(hash);
        Instant now = clock.instant();
        if (checked != null && now.isBefore(checked.at().plus(ttl)) && !revoked.contains(checked.agentId())) {
            return Optional.of(checked.agentId());
        }
        Optional<String> agentId = credentials.agentIdFor(credential);
        agentId.ifPresentOrElse(id -> cache.put(hash, new Checked(id, now)), () -> cache.remove(hash));
        return agentId;
    }

    /** Whether this agent was seen revoked (or decommissioned) since the gateway started. */
    boolean revoked(String agentId) {
        return revoked.contains(agentId);
    }

    /** Reads the revocations since the last read; each newly revoked agent is forgotten and handed to {@code cut}. */
    void readRevocations(Consumer<String> cut) {
        Instant started = clock.instant();
        List<String> ids = credentials.revokedSince(lastRead.minus(OVERLAP));
        lastRead = started;
        for (String id : ids) {
            if (revoked.add(id)) {
                cache.values().removeIf(checked -> checked.agentId().equals(id));
                log.info("agent {}'s credential was revoked: the gateway refuses its calls from now on", id);
            }
            cut.accept(id);
        }
    }
}
