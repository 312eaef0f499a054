package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class CommandSignaturesTest {

    private static final KeyPair KEYS = generate();
    private static final KeyPair OTHER_KEYS = generate();

    private static final CommandInvocation UNSIGNED = CommandInvocation.unsigned("job-1", "agent-1", 1,
            new CommandSpec("echo", "/usr/bin/echo", List.of("a b", "c")), 30, 65_536)
            .signed(1_000, 61_000, "nonce-1", null);
    private static final CommandInvocation SIGNED = UNSIGNED.signed(UNSIGNED.issuedAtMillis(),
            UNSIGNED.expiresAtMillis(), UNSIGNED.nonce(), CommandSignatures.sign(UNSIGNED, KEYS.getPrivate()));

    @Test
    void signatureVerifiesWithTheSignersPublicKeyOnly() {
        assertThat(CommandSignatures.verify(SIGNED, KEYS.getPublic())).isTrue();
        assertThat(CommandSignatures.verify(SIGNED, OTHER_KEYS.getPublic())).isFalse();
    }

    @Test
    void changingAnySignedFieldBreaksTheSignature() {
        CommandSpec command = SIGNED.command();
        Map<String, UnaryOperator<CommandInvocation>> tampering = Map.ofEntries(
                Map.entry("jobId", i -> with(i, "job-2", i.agentId(), i.attempt(), command, i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("agentId", i -> with(i, i.jobId(), "agent-2", i.attempt(), command, i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("attempt", i -> with(i, i.jobId(), i.agentId(), 2, command, i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("name", i -> with(i, i.jobId(), i.agentId(), i.attempt(),
                        new CommandSpec("cat", command.executable(), command.args()), i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("executable", i -> with(i, i.jobId(), i.agentId(), i.attempt(),
                        new CommandSpec(command.name(), "/usr/bin/touch", command.args()), i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("args", i -> with(i, i.jobId(), i.agentId(), i.attempt(),
                        new CommandSpec(command.name(), command.executable(), List.of("a", "b c")),
                        i.timeoutSeconds(), i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("extra arg", i -> with(i, i.jobId(), i.agentId(), i.attempt(),
                        new CommandSpec(command.name(), command.executable(), List.of("a b", "c", "")),
                        i.timeoutSeconds(), i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("timeoutSeconds", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command, 31,
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("maxOutputBytes", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command,
                        i.timeoutSeconds(), 1, i.issuedAtMillis(), i.expiresAtMillis(), i.nonce())),
                Map.entry("issuedAtMillis", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command,
                        i.timeoutSeconds(), i.maxOutputBytes(), 1_001, i.expiresAtMillis(), i.nonce())),
                Map.entry("expiresAtMillis", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command,
                        i.timeoutSeconds(), i.maxOutputBytes(), i.issuedAtMillis(), Long.MAX_VALUE, i.nonce())),
                Map.entry("nonce", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command, i.timeoutSeconds(),
                        i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), "nonce-2")),
                Map.entry("null nonce", i -> with(i, i.jobId(), i.agentId(), i.attempt(), command,
                        i.timeoutSeconds(), i.maxOutputBytes(), i.issuedAtMillis(), i.expiresAtMillis(), null)));

        tampering.forEach((field, tamper) -> assertThat(CommandSignatures.verify(tamper.apply(SIGNED),
                KEYS.getPublic())).as("tampered %s", field).isFalse());
    }

    @Test
    void payloadIsUnambiguousAcrossFieldBoundaries() {
        var split = CommandInvocation.unsigned("job", "agent", 1, new CommandSpec("a", "/b", List.of("c", "d")), 1, 1);
        var joined = CommandInvocation.unsigned("job", "agent", 1, new CommandSpec("a", "/b", List.of("cd")), 1, 1);
        var shifted = CommandInvocation.unsigned("jo", "bagent", 1, new CommandSpec("a", "/b", List.of("cd")), 1, 1);
        var empty = CommandInvocation.unsigned("job", "agent", 1, new CommandSpec("a", "/b", List.of("")), 1, 1);
        var none = CommandInvocation.unsigned("job", "agent", 1, new CommandSpec("a", "/b", List.of()), 1, 1);

        assertThat(List.of(split, joined, shifted, empty, none).stream()
                .map(i -> new String(CommandSignatures.payload(i), java.nio.charset.StandardCharsets.ISO_8859_1))
                .distinct()).hasSize(5);
    }

    @Test
    void missingOrMalformedSignatureDoesNotVerify() {
        assertThat(CommandSignatures.verify(UNSIGNED, KEYS.getPublic())).isFalse();
        assertThat(CommandSignatures.verify(UNSIGNED.signed(1_000, 61_000, "nonce-1", ""), KEYS.getPublic())).isFalse();
        assertThat(CommandSignatures.verify(UNSIGNED.signed(1_000, 61_000, "nonce-1", "not base64!"),
                KEYS.getPublic())).isFalse();
        assertThat(CommandSignatures.verify(UNSIGNED.signed(1_000, 61_000, "nonce-1", "AAAA"), KEYS.getPublic()))
                .isFalse();
    }

    @Test
    void publicKeyRoundTripsThroughItsBase64Form() {
        String encoded = CommandSignatures.encode(KEYS.getPublic());

        assertThat(CommandSignatures.verify(SIGNED, CommandSignatures.publicKey(encoded))).isTrue();
        assertThatThrownBy(() -> CommandSignatures.publicKey("bm90IGEga2V5"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static CommandInvocation with(CommandInvocation original, String jobId, String agentId, int attempt,
            CommandSpec command, long timeoutSeconds, int maxOutputBytes, long issuedAt, long expiresAt,
            String nonce) {
        return new CommandInvocation(jobId, agentId, attempt, command, timeoutSeconds, maxOutputBytes, issuedAt,
                expiresAt, nonce, original.signature());
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(CommandSignatures.ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
