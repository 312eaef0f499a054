package io.mamos.orchestrator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.TestMamosProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

class CommandPolicyTest {

    private static final String RULES = """
            maxTimeoutSeconds: 600
            commands:
              logs:
                executable: /usr/bin/cat
                minArgs: 1
                maxArgs: 3
                maxTimeoutSeconds: 30
                rest:
                  name: file
                  pathPrefix: [/var/log/, /proc/loadavg]
              service:
                executable: /usr/bin/systemctl
                minArgs: 2
                roles: [ADMIN]
                args:
                  - name: action
                    enum: [status, restart]
                  - name: unit
                    pattern: '[a-z][a-z0-9-]{0,30}\\.service'
              greet:
                executable: /usr/bin/echo
                maxArgs: 2
            """;

    private final CommandPolicy policy = new CommandPolicy(properties(null));

    @Test
    void whitelistedCommandResolvesToItsExecutableWithLiteralArguments() {
        var spec = policy.resolve("echo", List.of("$(id); rm -rf / | cat `x`"), Role.OPERATOR);

        assertThat(spec.executable()).isEqualTo("/usr/bin/echo");
        assertThat(spec.args()).containsExactly("$(id); rm -rf / | cat `x`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"; reboot", "a && b", "$(id)", "`id`", "x | sh", "> /etc/passwd", "*", "~root",
            "'quoted'", "\"dq\"", "a\nb", "$HOME", "!!"})
    void shellMetacharactersArePassedAsOneLiteralArgument(String hostile) {
        var spec = policy.resolve("echo", List.of("before", hostile, "after"), Role.OPERATOR);

        assertThat(spec.args()).containsExactly("before", hostile, "after");
    }

    @Test
    void commandOutsideTheWhitelistIsRefused() {
        assertThatThrownBy(() -> policy.resolve("rm", List.of("-rf", "/"), Role.ADMIN))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("'rm' is not whitelisted");
    }

    @Test
    void policyViolationIsUnprocessableContent() {
        assertThat(new PolicyViolationException("x").status().value()).isEqualTo(422);
        assertThat(new CommandForbiddenException("x").status().value()).isEqualTo(403);
    }

    @Test
    void argumentNotFullyMatchingThePatternIsRefusedNamingArgumentAndRule() {
        assertThatThrownBy(() -> policy.resolve("sleep", List.of("5; reboot"), Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("argument 1 ('seconds') of 'sleep' violates pattern");
        // Full match: a valid prefix followed by more does not pass.
        assertThatThrownBy(() -> policy.resolve("sleep", List.of("5\n"), Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void enumAllowsOnlyTheListedValuesExactly() {
        CommandPolicy custom = custom();
        assertThat(custom.resolve("service", List.of("status", "nginx.service"), Role.ADMIN).args())
                .containsExactly("status", "nginx.service");
        for (String near : List.of("stop", "Status", "status ", " status", "status;id", "")) {
            assertThatThrownBy(() -> custom.resolve("service", List.of(near, "nginx.service"), Role.ADMIN))
                    .as("enum value %s", near)
                    .isInstanceOf(PolicyViolationException.class)
                    .hasMessageContaining("argument 1 ('action') of 'service' violates enum");
        }
    }

    @Test
    void positionalRulesApplyToTheirOwnArgument() {
        CommandPolicy custom = custom();
        assertThatThrownBy(() -> custom.resolve("service", List.of("restart", "restart"), Role.ADMIN))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("argument 2 ('unit') of 'service' violates pattern");
    }

    @Test
    void roleNotListedForTheCommandIsForbidden() {
        CommandPolicy custom = custom();
        assertThatThrownBy(() -> custom.resolve("service", List.of("status", "nginx.service"), Role.OPERATOR))
                .isInstanceOf(CommandForbiddenException.class)
                .hasMessageContaining("[ADMIN]").hasMessageContaining("not by OPERATOR");
    }

    @Test
    void commandsWithoutRolesAllowOperatorsAndAdminsOnly() {
        assertThat(policy.resolve("uptime", List.of(), Role.OPERATOR).name()).isEqualTo("uptime");
        assertThat(policy.resolve("uptime", List.of(), Role.ADMIN).name()).isEqualTo("uptime");
        assertThatThrownBy(() -> policy.resolve("uptime", List.of(), Role.VIEWER))
                .isInstanceOf(CommandForbiddenException.class);
        assertThatThrownBy(() -> policy.resolve("uptime", List.of(), null))
                .isInstanceOf(CommandForbiddenException.class);
    }

    @Test
    void callerRoleIsTheMostPowerfulRoleHeld() {
        var operator = new UsernamePasswordAuthenticationToken("op", null,
                List.of(new SimpleGrantedAuthority("ROLE_OPERATOR")));
        var both = new UsernamePasswordAuthenticationToken("ad", null,
                List.of(new SimpleGrantedAuthority("ROLE_OPERATOR"), new SimpleGrantedAuthority("ROLE_ADMIN")));
        var none = new UsernamePasswordAuthenticationToken("agent", null,
                List.of(new SimpleGrantedAuthority("ROLE_AGENT")));

        assertThat(CommandPolicy.callerRole(operator)).isEqualTo(Role.OPERATOR);
        assertThat(CommandPolicy.callerRole(both)).isEqualTo(Role.ADMIN);
        assertThat(CommandPolicy.callerRole(none)).isNull();
    }

    @Test
    void timeoutIsBoundedByTheCommandsMaximum() {
        CommandPolicy custom = custom();
        assertThat(custom.timeoutSeconds("logs", 30L, 60)).isEqualTo(30);
        assertThat(custom.timeoutSeconds("logs", null, 60)).as("default capped at the command's max").isEqualTo(30);
        assertThat(custom.timeoutSeconds("greet", null, 60)).isEqualTo(60);
        assertThat(custom.timeoutSeconds("greet", 600L, 60)).isEqualTo(600);
        assertThatThrownBy(() -> custom.timeoutSeconds("logs", 31L, 60))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("timeoutSeconds of 'logs' must be between 1 and 30");
        assertThatThrownBy(() -> custom.timeoutSeconds("greet", 601L, 60)).isInstanceOf(PolicyViolationException.class);
        assertThatThrownBy(() -> custom.timeoutSeconds("greet", 0L, 60)).isInstanceOf(PolicyViolationException.class);
    }

    @Test
    void tooManyArgumentsAreRefused() {
        assertThatThrownBy(() -> policy.resolve("hostname", List.of("evil"), Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("takes 0 to 0 arguments");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/var/log/../../etc/shadow",
        "/var/log/../etc/shadow",
        "/var/log/./../../etc/shadow",
        "/var//log/..//..//etc/shadow",
        "/var/log/syslog/../../../../../../etc/shadow",
        "/var/log/%2e%2e/x",
        "/var/log/%2e%2e/%2e%2e/etc/shadow",
        "/var/log/..%2f..%2fetc/shadow",
        "/var/log/..\\..\\etc\\shadow",
        "/var/log/\u0000/x",
        "/var/log/\n/../../etc/shadow",
        "var/log/syslog",
        "./var/log/syslog",
        "../var/log/syslog",
        "~/var/log/syslog",
        "/var/logger",
        "/proc/loadavg/../self/environ",
        "/proc/loadavg2",
        "/proc/self/environ",
        "",
    })
    void pathArgumentCannotEscapeItsAllowedPrefix(String attempt) {
        CommandPolicy custom = custom();
        assertThatThrownBy(() -> custom.resolve("logs", List.of(attempt), Role.OPERATOR))
                .as("path %s", attempt)
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageMatching("(?s)argument 1 \\('file'\\) of 'logs' (violates pathPrefix|contains a NUL).*");
    }

    @Test
    void pathArgumentIsNormalisedAndTheNormalisedFormIsWhatRuns() {
        CommandPolicy custom = custom();
        assertThat(custom.resolve("logs", List.of("/var/log/syslog", "/var//log/./nginx/../auth.log",
                "/proc/loadavg"), Role.OPERATOR).args())
                .containsExactly("/var/log/syslog", "/var/log/auth.log", "/proc/loadavg");
    }

    @Test
    void percentEscapesAreNeverDecodedSoTheyAreRefusedRatherThanGuessedAt() {
        assertThat(ArgumentRule.normalizedPath("/var/log/%2e%2e/x")).isNull();
        assertThat(ArgumentRule.normalizedPath("/var/log/./x")).isEqualTo("/var/log/x");
    }

    @Test
    void traversalThatStaysInsideThePrefixIsAllowed() {
        assertThat(custom().resolve("logs", List.of("/var/log/nginx/../../log/syslog"), Role.OPERATOR).args())
                .containsExactly("/var/log/syslog");
    }

    @Test
    void builtInCatReadsSystemFilesAndLogsButNotProcessEnvironments() {
        assertThat(policy.resolve("cat", List.of("/proc/loadavg", "/var/log/syslog"), Role.OPERATOR).args())
                .containsExactly("/proc/loadavg", "/var/log/syslog");
        for (String path : List.of("/proc/self/environ", "/proc/1/environ", "/etc/shadow",
                "/proc/loadavg/../../etc/shadow", "/var/log/../../etc/shadow", "proc/loadavg")) {
            assertThatThrownBy(() -> policy.resolve("cat", List.of(path), Role.OPERATOR))
                    .as("cat %s", path)
                    .isInstanceOf(PolicyViolationException.class);
        }
    }

    @Test
    void argumentWithNulCharacterIsRefused() {
        assertThatThrownBy(() -> policy.resolve("echo", List.of("a\0b"), Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("NUL");
    }

    @Test
    void overlongArgumentIsRefused() {
        assertThatThrownBy(() -> policy.resolve("echo", List.of("x".repeat(CommandPolicy.MAX_ARG_LENGTH + 1)),
                Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class)
                .hasMessageContaining("longer than");
    }

    @Test
    void policyFileReplacesTheBuiltInPolicy(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, RULES);

        var custom = new CommandPolicy(properties(file));

        assertThat(custom.maxTimeoutSeconds()).isEqualTo(600);
        assertThat(custom.resolve("greet", List.of("hi"), Role.OPERATOR).executable()).isEqualTo("/usr/bin/echo");
        assertThatThrownBy(() -> custom.resolve("echo", List.of(), Role.OPERATOR))
                .isInstanceOf(PolicyViolationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "commands:\n  bad:\n    executable: echo\n",
        "commands:\n  bad:\n    executable: /bin/x\n    argPattern: '.*'\n",
        "commands:\n  bad:\n    executable: /bin/x\n    args: [{pathPrefixes: [/tmp/]}]\n",
        "commands:\n  bad:\n    executable: /bin/x\n    args: [{pattern: '(['}]\n",
        "commands:\n  bad:\n    executable: /bin/x\n    args: [{pathPrefix: [tmp/]}]\n",
        "commands:\n  bad:\n    executable: /bin/x\n    args: [{pathPrefix: [/tmp/../etc/]}]\n",
        "commands:\n  bad:\n    executable: /bin/x\n    rest: {pattern: x}\n",
        "commands:\n  bad:\n    executable: /bin/x\n    roles: [ROOT]\n",
        "commands:\n  bad:\n    executable: /bin/x\n    roles: []\n",
        "maxTimeoutSeconds: 60\ncommands:\n  bad:\n    executable: /bin/x\n    maxTimeoutSeconds: 61\n",
    })
    void invalidPolicyIsRejectedAtLoad(String document, @TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, document);

        assertThatThrownBy(() -> new CommandPolicy(properties(file)))
                .as(document)
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void policyInTheEarlierFormatIsRejectedSayingWhatReplacedItsKeys(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("policy.yml");
        Files.writeString(file, "commands:\n  sleep:\n    executable: /usr/bin/sleep\n    maxArgs: 1\n"
                + "    argPattern: '[0-9]+'\n");

        assertThatThrownBy(() -> new CommandPolicy(properties(file)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unknown key 'argPattern'; it is now 'rest: {pattern: ...}'");
    }

    private CommandPolicy custom() {
        try {
            Path file = Files.createTempFile("policy", ".yml");
            Files.writeString(file, RULES);
            try {
                return new CommandPolicy(properties(file));
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MamosProperties properties(Path policyFile) {
        return TestMamosProperties.with(Path.of("unused"), policyFile);
    }
}
