package io.mamos.agent.execution;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Decides whether an invocation really comes from the orchestrator this agent enrolled with, for
 * this agent, now, and for the first time. Anyone who can reach Temporal can put a task on this
 * agent's queue; only the orchestrator holds the private key, so only its commands pass.
 */
public final class CommandVerifier {

    /**
     * How far this host's clock may be from the orchestrator's: an invocation counts as expired
     * only this long after its expiry, and as not yet valid only this long before its issue time.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /** Why an invocation was refused; the {@code reason} label of {@code mamos_agent_commands_refused_total}. */
    public enum Reason {
        /** No orchestrator key is pinned in the config: the agent must be enrolled again. */
        NO_KEY,
        /** The invocation carries no signature. */
        UNSIGNED,
        /** The signature does not verify with the pinned key: forged, tampered with, or another orchestrator's. */
        BAD_SIGNATURE,
        /** Validly signed, but for another agent. */
        WRONG_AGENT,
        /** Its validity window ended. */
        EXPIRED,
        /** Issued in the future by more than the allowed skew. */
        NOT_YET_VALID,
        /** Its nonce was used before, or is malformed. */
        REPLAY,
        /** An await ticket for another workflow run or attempt than the one asking. */
        WRONG_CALLER,
        /** Genuine, but its executable is not in this agent's allowlist. */
        ALLOWLIST;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String agentId;
    private final PublicKey orchestratorKey;
    private final SeenNonces nonces;
    private final Clock clock;

    /** @param orchestratorKey the key pinned at enrollment, or null when there is none (everything is refused) */
    public CommandVerifier(String agentId, PublicKey orchestratorKey, SeenNonces nonces, Clock clock) {
        this.agentId = agentId;
        this.orchestratorKey = orchestratorKey;
        this.nonces = nonces;
        this.clock = clock;
    }

    /**
     * A verifier for an agent whose pinned key is in its config (base64, or null when none is pinned),
     * on the system clock.
     */
    public static CommandVerifier forAgent(String agentId, String pinnedKey, SeenNonces nonces) {
        return new CommandVerifier(agentId, pinnedKey == null ? null : CommandSignatures.publicKey(pinnedKey), nonces,
                Clock.systemUTC());
    }

    public boolean hasKey() {
        return orchestratorKey != null;
    }

    /**
     * Passes, or says why not. The signature is checked first, so every later check reads fields
     * the orchestrator vouched for. A passing invocation's nonce is recorded: it never passes again.
     *
     * @throws CommandRefusedException with the reason and a message fit for the job's record
     */
    public void verify(CommandInvocation invocation) throws CommandRefusedException {
        if (orchestratorKey == null) {
            throw new CommandRefusedException(Reason.NO_KEY, "this agent has no pinned orchestrator key and "
                    + "refuses every command; re-enroll it (mamos-agent enroll --force)");
        }
        if (invocation.signature() == null || invocation.signature().isBlank()) {
            throw new CommandRefusedException(Reason.UNSIGNED,
                    "command signature missing: the command is unsigned, so it did not come from the orchestrator");
        }
        if (!CommandSignatures.verify(invocation, orchestratorKey)) {
            throw new CommandRefusedException(Reason.BAD_SIGNATURE, "command signature invalid: not signed by the "
                    + "orchestrator this agent enrolled with, or altered after signing");
        }
        if (!agentId.equals(invocation.agentId())) {
            throw new CommandRefusedException(Reason.WRONG_AGENT, "command signature is for agent "
                    + invocation.agentId() + ", not this agent (" + agentId + ")");
        }
        checkWindow("command signature", invocation.issuedAtMillis(), invocation.expiresAtMillis());
        long skew = CLOCK_SKEW.toMillis();
        String nonce = invocation.nonce();
        if (nonce == null || !SeenNonces.NONCE.matcher(nonce).matches()
                || !nonces.claim(nonce, invocation.expiresAtMillis() + skew)) {
            throw new CommandRefusedException(Reason.REPLAY,
                    "command signature replayed: this signed command was already delivered once");
        }
    }

    /**
     * Passes an await ticket for the asking workflow run and attempt, or says why not: the
     * orchestrator's signature, this agent, the caller Temporal names (workflow id and run id) and
     * the validity window. No nonce: collecting a result twice changes nothing, and the ticket is
     * bound to one workflow run, which no one else can be.
     *
     * @param attempt the attempt the caller asks for; 0 (an older question) takes the ticket's
     * @throws CommandRefusedException with the reason and a message fit for the job's record
     */
    public void verifyAwait(AwaitTicket ticket, String callerWorkflowId, String callerRunId, int attempt)
            throws CommandRefusedException {
        if (orchestratorKey == null) {
            throw new CommandRefusedException(Reason.NO_KEY, "this agent has no pinned orchestrator key and "
                    + "answers no question about commands; re-enroll it (mamos-agent enroll --force)");
        }
        if (ticket == null || ticket.signature() == null || ticket.signature().isBlank()) {
            throw new CommandRefusedException(Reason.UNSIGNED, "await ticket missing: only the orchestrator's "
                    + "workflows may ask for a command's result");
        }
        if (!CommandSignatures.verify(ticket, orchestratorKey)) {
            throw new CommandRefusedException(Reason.BAD_SIGNATURE, "await ticket signature invalid: not signed by "
                    + "the orchestrator this agent enrolled with, or altered after signing");
        }
        if (!agentId.equals(ticket.agentId())) {
            throw new CommandRefusedException(Reason.WRONG_AGENT, "await ticket is for agent " + ticket.agentId()
                    + ", not this agent (" + agentId + ")");
        }
        if (!ticket.workflowId().equals(callerWorkflowId) || !ticket.runId().equals(callerRunId)
                || (attempt != 0 && attempt != ticket.attempt())) {
            throw new CommandRefusedException(Reason.WRONG_CALLER, "await ticket is for attempt " + ticket.attempt()
                    + " of another workflow run than the one asking");
        }
        checkWindow("await ticket", ticket.issuedAtMillis(), ticket.expiresAtMillis());
    }

    /** Refuses what expired, or was issued in the future, by more than {@link #CLOCK_SKEW}. */
    private void checkWindow(String what, long issuedAtMillis, long expiresAtMillis) throws CommandRefusedException {
        long now = clock.millis();
        long skew = CLOCK_SKEW.toMillis();
        if (now > expiresAtMillis + skew) {
            throw new CommandRefusedException(Reason.EXPIRED, what + " expired " + (now - expiresAtMillis) / 1000
                    + "s ago (allowed clock skew " + CLOCK_SKEW.toSeconds() + "s)");
        }
        if (issuedAtMillis > now + skew) {
            throw new CommandRefusedException(Reason.NOT_YET_VALID, what + " issued " + (issuedAtMillis - now) / 1000
                    + "s in the future; check this host's clock");
        }
    }
}
