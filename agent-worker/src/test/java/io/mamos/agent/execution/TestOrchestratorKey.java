package io.mamos.agent.execution;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import io.mamos.workflows.CommandSpec;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Plays the orchestrator in agent tests: an Ed25519 key pair that signs invocations as it would. */
public final class TestOrchestratorKey {

    public static final String AGENT_ID = "agent-7";

    private final KeyPair keys;

    public TestOrchestratorKey() {
        try {
            keys = KeyPairGenerator.getInstance(CommandSignatures.ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public half, as enrollment hands it out. */
    public String publicKeyBase64() {
        return CommandSignatures.encode(keys.getPublic());
    }

    /** A verifier for {@link #AGENT_ID} that pinned this key, with nonces in memory. */
    public CommandVerifier verifier() {
        return new CommandVerifier(AGENT_ID, keys.getPublic(), SeenNonces.inMemory(Clock.systemUTC()),
                Clock.systemUTC());
    }

    /** A verifier for {@link #AGENT_ID} that pinned this key, with the given nonce store. */
    public CommandVerifier verifier(SeenNonces nonces) {
        return new CommandVerifier(AGENT_ID, keys.getPublic(), nonces, Clock.systemUTC());
    }

    /** A genuine invocation for {@link #AGENT_ID}, valid for a minute from now. */
    public CommandInvocation invocation(String executable, long timeoutSeconds, String... args) {
        return sign(CommandInvocation.unsigned("job-1", AGENT_ID, 1,
                new CommandSpec("test", executable, List.of(args)), timeoutSeconds, 64 * 1024), 60);
    }

    /** Signs as the orchestrator does: issued now, valid for {@code validForSeconds}, fresh nonce. */
    public CommandInvocation sign(CommandInvocation unsigned, long validForSeconds) {
        long now = System.currentTimeMillis();
        return resign(unsigned.signed(now, now + validForSeconds * 1000, UUID.randomUUID().toString(), null));
    }

    /** Signs exactly the fields given. */
    public CommandInvocation resign(CommandInvocation invocation) {
        return invocation.signed(invocation.issuedAtMillis(), invocation.expiresAtMillis(), invocation.nonce(),
                CommandSignatures.sign(invocation, keys.getPrivate()));
    }

    /** A genuine await ticket for {@link #AGENT_ID}, attempt {@code attempt} of workflow run {@code runId}, valid a minute. */
    public AwaitTicket ticket(String workflowId, String runId, int attempt) {
        long now = System.currentTimeMillis();
        return sign(new AwaitTicket("job-1", AGENT_ID, attempt, workflowId, runId, now, now + 60_000, null));
    }

    /** Signs exactly the ticket's fields. */
    public AwaitTicket sign(AwaitTicket ticket) {
        return ticket.signed(CommandSignatures.sign(ticket.signed(null), keys.getPrivate()));
    }
}
