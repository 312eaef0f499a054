package io.mamos.agent.enroll;

/**
 * The orchestrator's answer to a successful enrollment (201).
 *
 * @param agentId           the id given to this agent
 * @param credential        the agent's secret; never logged or printed
 * @param taskQueue         the Temporal task queue the agent polls
 * @param temporalTarget    the orchestrator's agent gateway, the agent's only way to Temporal
 * @param temporalTls       whether that gateway serves TLS (null from orchestrators before the gateway)
 * @param temporalNamespace the Temporal namespace
 * @param commandPublicKey  the orchestrator's command-signing public key (base64 X.509 Ed25519), to pin
 */
public record Enrollment(String agentId, String credential, String taskQueue,
                         String temporalTarget, Boolean temporalTls, String temporalNamespace,
                         String commandPublicKey) {

    /** Leaves the credential out, so a response that ends up in a log leaks nothing. */
    @Override
    public String toString() {
        return "Enrollment[agentId=" + agentId + ", credential=***, taskQueue=" + taskQueue
                + ", temporalTarget=" + temporalTarget + ", temporalNamespace=" + temporalNamespace + "]";
    }
}
