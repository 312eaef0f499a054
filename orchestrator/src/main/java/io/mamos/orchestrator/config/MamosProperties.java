package io.mamos.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Everything configurable under {@code mamos.*}. The defaults run the embedded mode:
 * a local Temporal dev server and a SQLite store under {@code ./data/orchestrator}.
 */
@ConfigurationProperties("mamos")
public record MamosProperties(
        @DefaultValue("./data/orchestrator") Path dataDir,
        Path policyFile,
        @DefaultValue Temporal temporal,
        @DefaultValue Jobs jobs,
        @DefaultValue Auth auth,
        @DefaultValue Enrollment enrollment,
        @DefaultValue Liveness liveness,
        @DefaultValue Grafana grafana,
        @DefaultValue Live live,
        @DefaultValue Http http,
        @DefaultValue Dashboard dashboard,
        @DefaultValue Gateway gateway,
        boolean production) {

    /**
     * @param target    gRPC address of the Temporal frontend the orchestrator (and its agent gateway) uses;
     *                  agents never reach it, they reach the {@link Gateway}
     * @param namespace Temporal namespace of every workflow
     * @param uiUrl     base URL of the Temporal Web UI, for links to job histories
     */
    public record Temporal(
            @DefaultValue("localhost:7233") String target,
            @DefaultValue("default") String namespace,
            @DefaultValue("http://localhost:8233") String uiUrl) {
    }

    /**
     * The agent gateway: the only Temporal endpoint agents reach. It speaks Temporal's gRPC API,
     * authenticates each call with the agent's credential and forwards only what an activity
     * worker on the agent's own task queue needs.
     *
     * @param enabled                 serve the gateway in this process (false when it runs as a process of
     *                                its own, {@code java -jar mamos-orchestrator.jar gateway})
     * @param bindAddress             address the gateway listens on
     * @param port                    port the gateway listens on
     * @param advertisedTarget        {@code host:port} handed to agents at enrollment; when unset, the host
     *                                the agent enrolled through and {@code port}
     * @param tls                     certificate and key (PEM) to serve TLS; plaintext when unset
     * @param credentialCacheTtl      how long a checked agent credential is trusted before it is checked again
     *                                (revocations are seen sooner, by {@code revocationCheckInterval})
     * @param revocationCheckInterval how often the store is read for revoked or decommissioned agents, whose
     *                                open calls are then cut
     */
    public record Gateway(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("0.0.0.0") String bindAddress,
            @DefaultValue("4233") int port,
            String advertisedTarget,
            @DefaultValue Tls tls,
            @DefaultValue("30s") Duration credentialCacheTtl,
            @DefaultValue("500ms") Duration revocationCheckInterval) {
    }

    /**
     * @param certificateChain PEM certificate chain the gateway presents
     * @param privateKey       PEM (PKCS#8) private key of that certificate
     */
    public record Tls(Path certificateChain, Path privateKey) {

        public boolean enabled() {
            return certificateChain != null || privateKey != null;
        }
    }

    /**
     * @param agentWait        how long a command waits for its agent to pick it up before AGENT_OFFLINE
     * @param heartbeatTimeout silence from a running command after which its agent counts as lost
     * @param defaultTimeout   a job's timeout when the request names none
     * @param maxOutputBytes   per-stream output cap (head and tail are kept)
     * @param maxTargets       most agents one job may run on
     * @param maxHistoryBytes  most a fan-out job may write into its Temporal history (its runs'
     *                         inputs, each carrying the command): keep it below the history size
     *                         at which the Temporal server warns ({@code limit.historySize.warn}, 10 MB)
     */
    public record Jobs(
            @DefaultValue("60s") Duration agentWait,
            @DefaultValue("10s") Duration heartbeatTimeout,
            @DefaultValue("60s") Duration defaultTimeout,
            @DefaultValue("65536") int maxOutputBytes,
            @DefaultValue("5000") int maxTargets,
            @DefaultValue("8MB") DataSize maxHistoryBytes) {
    }

    /**
     * @param issuer                 the {@code iss} claim of the access tokens this orchestrator issues
     * @param accessTokenTtl         lifetime of an access token
     * @param failedLoginsPerMinute  failed logins (and refreshes) per client address per minute before 429
     * @param failedLoginsPerAccountPerMinute failed logins per user name per minute before that name's logins
     *                               are answered 429, except from an address it signed in from before
     * @param refreshTokenTtl        lifetime of a refresh token family, counted from the login
     * @param bootstrapAdminPassword password of the first admin when set (otherwise a random one is
     *                               generated into the data folder); checked for strength in production
     * @param oidc                   an external OpenID Connect provider whose access tokens are accepted too
     */
    public record Auth(
            @DefaultValue("mamos") String issuer,
            @DefaultValue("15m") Duration accessTokenTtl,
            @DefaultValue("10") int failedLoginsPerMinute,
            @DefaultValue("5") int failedLoginsPerAccountPerMinute,
            @DefaultValue("14d") Duration refreshTokenTtl,
            String bootstrapAdminPassword,
            @DefaultValue Oidc oidc) {
    }

    /**
     * @param issuerUri     the provider's issuer; its discovery document names the key set, and tokens
     *                      must carry this {@code iss}
     * @param jwkSetUri     the provider's key set, when it has no discovery document (then tokens must
     *                      carry {@code issuerUri} as {@code iss} if that is set too)
     * @param roleClaim     claim (dotted path for nested ones, e.g. {@code realm_access.roles}) whose
     *                      values ADMIN, OPERATOR or VIEWER (any case) become the user's roles
     * @param usernameClaim claim naming the user in the audit log; {@code sub} when absent
     * @param audience      when set, tokens must list it in {@code aud}
     */
    public record Oidc(
            String issuerUri,
            String jwkSetUri,
            @DefaultValue("roles") String roleClaim,
            @DefaultValue("preferred_username") String usernameClaim,
            String audience) {

        public boolean enabled() {
            return hasText(issuerUri) || hasText(jwkSetUri);
        }

        private static boolean hasText(String value) {
            return value != null && !value.isBlank();
        }
    }

    /**
     * @param maxRequestBytes largest request body accepted; a larger one is answered 413
     * @param trustedProxies  addresses or CIDR ranges of the reverse proxies (the dashboard's server)
     *                        whose {@code X-Forwarded-For} names the real client; nobody else's is read
     */
    public record Http(
            @DefaultValue("1048576") long maxRequestBytes,
            @DefaultValue({}) java.util.List<String> trustedProxies) {
    }

    /**
     * @param interval                    liveness interval: agents heartbeat a system snapshot every 1.5
     *                                    intervals; an agent silent for 2.5 intervals is marked OFFLINE
     * @param session                     length of one liveness session (one activity) before it is renewed
     * @param sessionsBeforeContinueAsNew sessions per liveness workflow run (bounds its history)
     * @param historyInterval             how often each online agent's latest heartbeat is read into the
     *                                    store ("last seen", snapshot, one metric sample)
     * @param historyRetention            how long metric samples are kept
     */
    public record Liveness(
            @DefaultValue("5s") Duration interval,
            @DefaultValue("1h") Duration session,
            @DefaultValue("50") int sessionsBeforeContinueAsNew,
            @DefaultValue("30s") Duration historyInterval,
            @DefaultValue("24h") Duration historyRetention) {
    }

    /**
     * @param url           base URL of Grafana, as users' browsers reach it
     * @param dashboardPath path of the provisioned "MAMOS Overview" dashboard under that URL
     */
    public record Grafana(
            @DefaultValue("http://localhost:3001") String url,
            @DefaultValue("/d/mamos-overview/mamos-overview") String dashboardPath) {
    }

    /** @param url base URL of the dashboard as users' browsers reach it, linked from the orchestrator's {@code /} */
    public record Dashboard(@DefaultValue("http://localhost:3000") String url) {
    }

    /** @param allowedOrigins browser origins allowed to open the live WebSocket feed (patterns) */
    public record Live(@DefaultValue("http://localhost:3000") java.util.List<String> allowedOrigins) {
    }

    /**
     * @param defaultTtl                 lifetime of an enrollment token when its creator names none
     * @param failedAttemptsPerMinute    refused enrollments per client address per minute before 429
     */
    public record Enrollment(
            @DefaultValue("1h") Duration defaultTtl,
            @DefaultValue("20") int failedAttemptsPerMinute) {
    }
}
