package io.mamos.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.config.MamosProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandPolicyTest {

    private final CommandPolicy policy = new CommandPolicy(properties(null));

    @Test
    void whitelistedCommandResolvesToItsExecutableWithLiteralArguments() {
        var spec = policy.resolve("echo", List.of("$(id); rm -rf / | cat `x`"));

        assertThat(spec.executable()).isEqualTo("/usr/bin/echo");
        assertThat(spec.args()).containsExactly("$(id); rm -rf / | cat `x`");
    }

    @Test
    void commandOutsideTheWhitelistIsRefused() {
        assertThatThrownBy(() -> policy.resolve("rm", List.of("-rf", "/")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("'rm' is not whitelisted");
    }

    @Test
    void argumentNotMatchingThePatternIsRefused() {
        assertThatThrownBy(() -> policy.resolve("sleep", List.of("5; reboot")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("does not match");
    }

    @Test
    void tooManyArgumentsAreRefused() {
        assertThatThrownBy(() -> policy.resolve("hostname", List.of("evil")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("takes 0 to 0 arguments");
    }

    @Test
    void pathArgumentCannotEscapeItsAllowedPrefixByTraversal() {
        assertThat(policy.resolve("cat", List.of("/proc/loadavg")).args()).containsExactly("/proc/loadavg");
        assertThatThrownBy(() -> policy.resolve("cat", List.of("/proc/loadavg/../../etc/shadow")))
                .isInstanceOf(PolicyViolationException.class);
        assertThatThrownBy(() -> policy.resolve("cat", List.of("proc/loadavg")))
                .isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void directoryPrefixAllowsOnlyPathsBelowIt() {
        assertThat(CommandPolicy.underAllowedPrefix("/var/log/syslog", List.of("/var/log/"))).isTrue();
        assertThat(CommandPolicy.underAllowedPrefix("/var/log/../../etc/passwd", List.of("/var/log/"))).isFalse();
        assertThat(CommandPolicy.underAllowedPrefix("/var/logger", List.of("/var/log/"))).isFalse();
    }

    @Test
    void argumentWithNulCharacterIsRefused() {
        assertThatThrownBy(() -> policy.resolve("echo", List.of("a\0b")))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void policyFileReplacesTheBuiltInPolicy(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, """
                maxTimeoutSeconds: 120
                commands:
                  greet:
                    executable: /usr/bin/echo
                    maxArgs: 1
                """);

        var custom = new CommandPolicy(properties(file));

        assertThat(custom.maxTimeoutSeconds()).isEqualTo(120);
        assertThat(custom.resolve("greet", List.of("hi")).executable()).isEqualTo("/usr/bin/echo");
        assertThatThrownBy(() -> custom.resolve("echo", List.of())).isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void policyEntryWithoutAbsoluteExecutableIsRejectedAtLoad(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, """
                commands:
                  bad:
                    executable: echo
                """);

        assertThatThrownBy(() -> new CommandPolicy(properties(file)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("absolute");
    }

    private static MamosProperties properties(Path policyFile) {
        return new MamosProperties(Path.of("unused"), policyFile,
                new MamosProperties.Temporal("localhost:7233", null, "default", "http://localhost:8233"),
                new MamosProperties.Jobs(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60), 65536,
                        5000),
                new MamosProperties.Auth("mamos", Duration.ofHours(1), 10),
                new MamosProperties.Enrollment(Duration.ofHours(1), 20),
                new MamosProperties.Liveness(Duration.ofSeconds(5), Duration.ofHours(1), 50, Duration.ofSeconds(30),
                        Duration.ofHours(24)),
                new MamosProperties.Grafana("http://localhost:3001", "/d/mamos-overview/mamos-overview"),
                new MamosProperties.Live(List.of("http://localhost:3000")));
    }
}
