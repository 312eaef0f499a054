package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Input of the agent-side {@link CommandActivities#runCommand} activity. The orchestrator signs
 * every field but {@code signature} ({@link CommandSignatures}); the agent runs nothing unless the
 * signature verifies with the key it pinned at enrollment, the invocation names this agent, it
 * has not expired and its nonce was never seen before.
 *
 * @param jobId           the job this run belongs to, for logs and refusal reports
 * @param agentId         the only agent that may run it
 * @param attempt         which attempt of the run this is (1 for the first)
 * @param command         what to run
 * @param timeoutSeconds  wall-clock limit; the agent kills the whole process tree when it passes
 * @param maxOutputBytes  per stream; beyond it the agent keeps the head and the tail. Agents
 *                        cap it at 512 KiB so both streams fit one Temporal payload.
 * @param issuedAtMillis  when the orchestrator signed it (epoch milliseconds)
 * @param expiresAtMillis after this the agent refuses to start it
 * @param nonce           random and unique per invocation, so a captured one cannot be replayed
 * @param signature       base64 Ed25519 signature over {@link CommandSignatures#payload}; null if unsigned
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandInvocation(
        String jobId,
        String agentId,
        int attempt,
        CommandSpec command,
        long timeoutSeconds,
        int maxOutputBytes,
        long issuedAtMillis,
        long expiresAtMillis,
        String nonce,
        String signature) {

    /** What a workflow asks to be signed: the validity, nonce and signature are the signer's to fill. */
    public static CommandInvocation unsigned(String jobId, String agentId, int attempt, CommandSpec command,
            long timeoutSeconds, int maxOutputBytes) {
        return new CommandInvocation(jobId, agentId, attempt, command, timeoutSeconds, maxOutputBytes, 0, 0, null,
                null);
    }

    /** The same command with its validity window, nonce and signature set. */
    public CommandInvocation signed(long issuedAt, long expiresAt, String newNonce, String newSignature) {
        return new CommandInvocation(jobId, agentId, attempt, command, timeoutSeconds, maxOutputBytes, issuedAt,
                expiresAt, newNonce, newSignature);
    }
}
