package io.mamos.agent.config;

import io.mamos.agent.execution.Allowlist;
import java.net.URI;
import java.util.Objects;

/**
 * What an enrolled agent knows about itself; one {@link AgentConfigFile} holds it.
 *
 * @param serverUrl         the orchestrator this agent enrolled with
 * @param agentId           the id the orchestrator gave this agent
 * @param credential        the agent's secret from enrollment; never logged or printed
 * @param taskQueue         the Temporal task queue this agent polls
 * @param temporalTarget    the orchestrator's agent gateway (Temporal's API for this agent), {@code host:port}
 * @param temporalTls       whether the gateway is reached over TLS (the JVM's trust store checks its certificate)
 * @param temporalNamespace the Temporal namespace
 * @param allow             the only executables this agent runs
 * @param commandPublicKey  the orchestrator's command-signing public key pinned at enrollment
 *                          (base64 X.509 Ed25519), or null: then every command is refused
 */
public record AgentConfig(
        URI serverUrl,
        String agentId,
        String credential,
        String taskQueue,
        String temporalTarget,
        boolean temporalTls,
        String temporalNamespace,
        Allowlist allow,
        String commandPublicKey) {

    public AgentConfig {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(taskQueue, "taskQueue");
        Objects.requireNonNull(temporalTarget, "temporalTarget");
        Objects.requireNonNull(temporalNamespace, "temporalNamespace");
        Objects.requireNonNull(allow, "allow");
    }

    /** Leaves the credential out, so a config that ends up in a log or exception leaks nothing. */
    @Override
    public String toString() {
        return "AgentConfig[serverUrl=" + serverUrl + ", agentId=" + agentId + ", credential=***"
                + ", taskQueue=" + taskQueue + ", temporalTarget=" + temporalTarget + (temporalTls ? " (TLS)" : "")
                + ", temporalNamespace=" + temporalNamespace + ", allow=" + allow
                + ", commandPublicKey=" + (commandPublicKey == null ? "none" : "pinned") + "]";
    }
}
