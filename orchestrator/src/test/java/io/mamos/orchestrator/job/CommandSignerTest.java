package io.mamos.orchestrator.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.TestMamosProperties;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import io.mamos.workflows.CommandSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSignerTest {

    private static final CommandInvocation UNSIGNED = CommandInvocation.unsigned("job-1", "agent-1", 1,
            new CommandSpec("echo", "/usr/bin/echo", List.of("hi")), 30, 65_536);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void signedInvocationVerifiesWithThePublicKeyAgentsPin() {
        CommandSigner signer = new CommandSigner(properties(dataDir), Clock.fixed(NOW, ZoneOffset.UTC));

        CommandInvocation signed = signer.sign(UNSIGNED, 90);

        assertThat(CommandSignatures.verify(signed, CommandSignatures.publicKey(signer.publicKeyBase64()))).isTrue();
        assertThat(signed.issuedAtMillis()).isEqualTo(NOW.toEpochMilli());
        assertThat(signed.expiresAtMillis()).isEqualTo(NOW.plusSeconds(90).toEpochMilli());
        assertThat(signed.command()).isEqualTo(UNSIGNED.command());
        assertThat(signed.agentId()).isEqualTo("agent-1");
    }

    @Test
    void everySignatureGetsAFreshNonce() {
        CommandSigner signer = new CommandSigner(properties(dataDir));

        assertThat(signer.sign(UNSIGNED, 60).nonce()).isNotEqualTo(signer.sign(UNSIGNED, 60).nonce());
    }

    @Test
    void keyIsGeneratedOwnerOnlyAndKeptAcrossRestarts() throws IOException {
        String first = new CommandSigner(properties(dataDir)).publicKeyBase64();
        String second = new CommandSigner(properties(dataDir)).publicKeyBase64();

        Path file = dataDir.resolve(CommandSigner.KEY_FILE);
        assertThat(second).isEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("BEGIN PRIVATE KEY").contains("BEGIN PUBLIC KEY");
    }

    @Test
    void anotherDataFolderMeansAnotherKey(@TempDir Path other) {
        assertThat(new CommandSigner(properties(other)).publicKeyBase64())
                .isNotEqualTo(new CommandSigner(properties(dataDir)).publicKeyBase64());
    }

    private static MamosProperties properties(Path dataDir) {
        return TestMamosProperties.with(dataDir, null);
    }
}
