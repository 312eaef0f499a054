package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What lets a workflow collect its command's result from an agent ({@link CommandActivities#awaitCommand}):
 * the orchestrator signs it ({@link CommandSignatures#payload(AwaitTicket)}, the same key as commands)
 * only for the workflow run the store planned for that run, and only for an attempt it signed and
 * that has not ended. The agent answers only a caller Temporal names as exactly that workflow run,
 * so a ticket read from a history is worth nothing to any other workflow, even one started later
 * under the same id.
 *
 * @param jobId           the job of the run
 * @param agentId         the only agent that may answer it
 * @param attempt         the attempt whose result it asks for
 * @param workflowId      the workflow the store planned for the run
 * @param runId           that workflow's run, as the Temporal server reported it to the orchestrator
 * @param issuedAtMillis  when the orchestrator signed it (epoch milliseconds)
 * @param expiresAtMillis after this the agent refuses it
 * @param signature       base64 Ed25519 signature over {@link CommandSignatures#payload(AwaitTicket)}; null if unsigned
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AwaitTicket(
        String jobId,
        String agentId,
        int attempt,
        String workflowId,
        String runId,
        long issuedAtMillis,
        long expiresAtMillis,
        String signature) {

    /** The same ticket with its signature set. */
    public AwaitTicket signed(String newSignature) {
        return new AwaitTicket(jobId, agentId, attempt, workflowId, runId, issuedAtMillis, expiresAtMillis,
                newSignature);
    }
}
