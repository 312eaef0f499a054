package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import io.mamos.workflows.CommandSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandVerifierTest {

    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();
    private final CommandVerifier verifier = orchestrator.verifier();

    @TempDir
    Path dir;

    @Test
    void genuineInvocationPasses() throws Exception {
        verifier.verify(orchestrator.invocation("/usr/bin/echo", 10, "hi"));
    }

    @Test
    void unsignedInvocationIsRefused() {
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10, "hi");
        CommandInvocation unsigned = genuine.signed(genuine.issuedAtMillis(), genuine.expiresAtMillis(),
                genuine.nonce(), null);

        assertRefused(unsigned, CommandVerifier.Reason.UNSIGNED, "signature missing");
    }

    @Test
    void invocationSignedWithAnotherKeyIsRefused() {
        CommandInvocation forged = new TestOrchestratorKey().invocation("/usr/bin/echo", 10, "hi");

        assertRefused(forged, CommandVerifier.Reason.BAD_SIGNATURE, "signature invalid");
    }

    @Test
    void everyTamperedFieldIsRefused() {
        CommandInvocation g = orchestrator.invocation("/usr/bin/echo", 10, "hi");
        CommandSpec c = g.command();
        List<CommandInvocation> tampered = List.of(
                copy(g, "job-2", g.agentId(), g.attempt(), c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), "agent-8", g.attempt(), c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), 2, c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), new CommandSpec("x", c.executable(), c.args()),
                        g.timeoutSeconds(), g.maxOutputBytes(), g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), new CommandSpec(c.name(), "/usr/bin/touch", c.args()),
                        g.timeoutSeconds(), g.maxOutputBytes(), g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), new CommandSpec(c.name(), c.executable(),
                        List.of("/tmp/marker")), g.timeoutSeconds(), g.maxOutputBytes(), g.issuedAtMillis(),
                        g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), c, 3600, g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), c, g.timeoutSeconds(), 1,
                        g.issuedAtMillis(), g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis() - 1, g.expiresAtMillis(), g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis() + 3_600_000, g.nonce()),
                copy(g, g.jobId(), g.agentId(), g.attempt(), c, g.timeoutSeconds(), g.maxOutputBytes(),
                        g.issuedAtMillis(), g.expiresAtMillis(), "0f0f0f0f-other-nonce"));

        for (CommandInvocation invocation : tampered) {
            assertRefused(invocation, CommandVerifier.Reason.BAD_SIGNATURE, "signature invalid");
        }
    }

    @Test
    void genuineInvocationForAnotherAgentIsRefused() {
        CommandInvocation forOther = orchestrator.sign(CommandInvocation.unsigned("job-1", "agent-8", 1,
                new CommandSpec("echo", "/usr/bin/echo", List.of()), 10, 1024), 60);

        assertRefused(forOther, CommandVerifier.Reason.WRONG_AGENT, "for agent agent-8, not this agent");
    }

    @Test
    void expiredInvocationIsRefusedOnlyAfterTheAllowedSkew() throws Exception {
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10);
        long expiry = genuine.expiresAtMillis();
        long skew = CommandVerifier.CLOCK_SKEW.toMillis();

        verifierAt(expiry + skew - 1).verify(genuine);
        assertRefused(verifierAt(expiry + skew + 1), genuine, CommandVerifier.Reason.EXPIRED, "expired");
    }

    @Test
    void invocationIssuedInTheFutureBeyondTheSkewIsRefused() {
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10);

        assertRefused(verifierAt(genuine.issuedAtMillis() - CommandVerifier.CLOCK_SKEW.toMillis() - 1_000), genuine,
                CommandVerifier.Reason.NOT_YET_VALID, "in the future");
    }

    @Test
    void replayedInvocationIsRefused() throws Exception {
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10, "hi");
        verifier.verify(genuine);

        assertRefused(genuine, CommandVerifier.Reason.REPLAY, "replayed");
    }

    @Test
    void replayIsRefusedAfterTheAgentRestarts() throws Exception {
        Path file = dir.resolve("seen-nonces");
        CommandInvocation genuine = orchestrator.invocation("/usr/bin/echo", 10, "hi");
        persistentVerifier(file).verify(genuine);

        assertRefused(persistentVerifier(file), genuine, CommandVerifier.Reason.REPLAY, "replayed");
    }

    @Test
    void agentWithoutAPinnedKeyRefusesEverythingAndSaysReEnroll() {
        CommandVerifier keyless = new CommandVerifier(TestOrchestratorKey.AGENT_ID, null,
                SeenNonces.inMemory(Clock.systemUTC()), Clock.systemUTC());

        assertThat(keyless.hasKey()).isFalse();
        assertRefused(keyless, orchestrator.invocation("/usr/bin/echo", 10), CommandVerifier.Reason.NO_KEY,
                "re-enroll");
    }

    @Test
    void pinnedKeyIsReadFromItsBase64Form() throws Exception {
        CommandVerifier fromConfig = CommandVerifier.forAgent(TestOrchestratorKey.AGENT_ID,
                orchestrator.publicKeyBase64(), SeenNonces.inMemory(Clock.systemUTC()));

        fromConfig.verify(orchestrator.invocation("/usr/bin/echo", 10));
        assertThat(CommandSignatures.publicKey(orchestrator.publicKeyBase64())).isNotNull();
    }

    @Test
    void genuineAwaitTicketPassesForItsOwnWorkflowRunAndAttemptAsOftenAsAsked() throws Exception {
        AwaitTicket ticket = orchestrator.ticket("run-job-1", "run-a", 2);

        verifier.verifyAwait(ticket, "run-job-1", "run-a", 2);
        verifier.verifyAwait(ticket, "run-job-1", "run-a", 2);
        verifier.verifyAwait(ticket, "run-job-1", "run-a", 0);
    }

    @Test
    void awaitTicketIsRefusedToAnyoneButItsWorkflowRunAndAttempt() {
        AwaitTicket ticket = orchestrator.ticket("run-job-1", "run-a", 2);

        // The same workflow id started again (a forger's workflow once the job's ended): another run.
        assertAwaitRefused(ticket, "run-job-1", "run-b", 2, CommandVerifier.Reason.WRONG_CALLER);
        assertAwaitRefused(ticket, "run-job-2", "run-a", 2, CommandVerifier.Reason.WRONG_CALLER);
        assertAwaitRefused(ticket, "run-job-1", "run-a", 1, CommandVerifier.Reason.WRONG_CALLER);
    }

    @Test
    void missingForgedTamperedForeignOrExpiredAwaitTicketsAreRefused() {
        AwaitTicket genuine = orchestrator.ticket("run-job-1", "run-a", 1);
        assertAwaitRefused(null, "run-job-1", "run-a", 1, CommandVerifier.Reason.UNSIGNED);
        assertAwaitRefused(genuine.signed(null), "run-job-1", "run-a", 1, CommandVerifier.Reason.UNSIGNED);
        assertAwaitRefused(new TestOrchestratorKey().ticket("run-job-1", "run-a", 1), "run-job-1", "run-a", 1,
                CommandVerifier.Reason.BAD_SIGNATURE);
        // A genuine signature over other fields: the fields are what is signed.
        assertAwaitRefused(new AwaitTicket(genuine.jobId(), genuine.agentId(), genuine.attempt(), genuine.workflowId(),
                "run-b", genuine.issuedAtMillis(), genuine.expiresAtMillis(), genuine.signature()), "run-job-1",
                "run-b", 1, CommandVerifier.Reason.BAD_SIGNATURE);
        assertAwaitRefused(new AwaitTicket(genuine.jobId(), genuine.agentId(), genuine.attempt(), genuine.workflowId(),
                genuine.runId(), genuine.issuedAtMillis(), genuine.expiresAtMillis() + 3_600_000, genuine.signature()),
                "run-job-1", "run-a", 1, CommandVerifier.Reason.BAD_SIGNATURE);
        assertAwaitRefused(orchestrator.sign(new AwaitTicket("job-1", "agent-8", 1, "run-job-1", "run-a",
                genuine.issuedAtMillis(), genuine.expiresAtMillis(), null)), "run-job-1", "run-a", 1,
                CommandVerifier.Reason.WRONG_AGENT);
        long skew = CommandVerifier.CLOCK_SKEW.toMillis();
        assertThatThrownBy(() -> verifierAt(genuine.expiresAtMillis() + skew + 1).verifyAwait(genuine, "run-job-1",
                "run-a", 1)).isInstanceOfSatisfying(CommandRefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(CommandVerifier.Reason.EXPIRED));
    }

    @Test
    void anInvocationsSignatureIsNoAwaitTicketsNorTheOtherWayRound() {
        // Both are signed with the same key; the payloads are tagged, so one never verifies as the other.
        CommandInvocation invocation = orchestrator.invocation("/usr/bin/echo", 10);
        AwaitTicket ticket = orchestrator.ticket("run-job-1", "run-a", 1);
        assertAwaitRefused(new AwaitTicket("job-1", TestOrchestratorKey.AGENT_ID, 1, "run-job-1", "run-a",
                ticket.issuedAtMillis(), ticket.expiresAtMillis(), invocation.signature()), "run-job-1", "run-a", 1,
                CommandVerifier.Reason.BAD_SIGNATURE);
        assertRefused(invocation.signed(invocation.issuedAtMillis(), invocation.expiresAtMillis(), invocation.nonce(),
                ticket.signature()), CommandVerifier.Reason.BAD_SIGNATURE, "invalid");
    }

    private void assertAwaitRefused(AwaitTicket ticket, String workflowId, String runId, int attempt,
            CommandVerifier.Reason reason) {
        assertThatThrownBy(() -> verifier.verifyAwait(ticket, workflowId, runId, attempt))
                .as("%s asked by %s/%s for attempt %d", ticket, workflowId, runId, attempt)
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(reason));
    }

    private CommandVerifier verifierAt(long millis) {
        return new CommandVerifier(TestOrchestratorKey.AGENT_ID,
                CommandSignatures.publicKey(orchestrator.publicKeyBase64()),
                SeenNonces.inMemory(Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC)),
                Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
    }

    private CommandVerifier persistentVerifier(Path file) {
        return CommandVerifier.forAgent(TestOrchestratorKey.AGENT_ID, orchestrator.publicKeyBase64(),
                SeenNonces.open(file, Clock.systemUTC()));
    }

    private void assertRefused(CommandInvocation invocation, CommandVerifier.Reason reason, String message) {
        assertRefused(verifier, invocation, reason, message);
    }

    private static void assertRefused(CommandVerifier verifier, CommandInvocation invocation,
            CommandVerifier.Reason reason, String message) {
        assertThatThrownBy(() -> verifier.verify(invocation))
                .as("%s", invocation)
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        refused -> assertThat(refused.reason()).isEqualTo(reason))
                .hasMessageContaining(message);
    }

    private static CommandInvocation copy(CommandInvocation original, String jobId, String agentId, int attempt,
            CommandSpec command, long timeoutSeconds, int maxOutputBytes, long issuedAt, long expiresAt,
            String nonce) {
        return new CommandInvocation(jobId, agentId, attempt, command, timeoutSeconds, maxOutputBytes, issuedAt,
                expiresAt, nonce, original.signature());
    }

}
