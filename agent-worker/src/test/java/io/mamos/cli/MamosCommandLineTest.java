package io.mamos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MamosCommandLineTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine commandLine = Mamos.commandLine();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    private static RunCommand parsedRun(String... args) {
        CommandLine commandLine = Mamos.commandLine();
        CommandLine.ParseResult result = commandLine.parseArgs(args);
        return (RunCommand) result.subcommand().commandSpec().userObject();
    }

    @Test
    void everythingAfterTheCommandBelongsToTheCommand() {
        RunCommand run = parsedRun("run", "--all", "uname", "-a");

        assertThat(run.command).containsExactly("uname", "-a");
        assertThat(run.targets.all).isTrue();
    }

    @Test
    void doubleDashSeparatesTheCommandToo() {
        RunCommand run = parsedRun("run", "-l", "env=prod,role in (web,api)", "--batch", "20%", "--", "df", "-h");

        assertThat(run.command).containsExactly("df", "-h");
        assertThat(run.targets.selector).isEqualTo("env=prod,role in (web,api)");
        assertThat(Format.countOrShare(run.batch)).isEqualTo("20%");
        assertThat(Format.countOrShare("5")).isEqualTo(5);
    }

    @Test
    void agentsCanBeRepeatedOrCommaSeparated() {
        RunCommand run = parsedRun("run", "-a", "a1,a2", "-a", "a3", "--", "uptime");

        assertThat(run.targets.agents).containsExactly("a1", "a2", "a3");
    }

    @Test
    void twoKindsOfTargetsAreAUsageError() {
        int exit = run("run", "--all", "-l", "env=prod", "--", "uptime");

        assertThat(exit).isEqualTo(CliExit.USAGE);
        assertThat(err.toString()).contains("mutually exclusive").contains("mamos run --help");
    }

    @Test
    void noTargetIsAUsageError() {
        assertThat(run("run", "--", "uptime")).isEqualTo(CliExit.USAGE);
    }

    @Test
    void hostnamesResolveToAgentIdsAndAmbiguityIsRefused() {
        var agents = Api.JSON.valueToTree(List.of(
                Map.of("id", "a1", "hostname", "web", "status", "ONLINE"),
                Map.of("id", "a2", "hostname", "db", "status", "ONLINE"),
                Map.of("id", "a3", "hostname", "db", "status", "OFFLINE")));

        assertThat(Targets.resolve(List.of("web", "a2", "unknown"), (com.fasterxml.jackson.databind.JsonNode) agents))
                .containsExactly("a1", "a2", "unknown");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> Targets.resolve(List.of("db"), (com.fasterxml.jackson.databind.JsonNode) agents))
                .isInstanceOf(CliException.class).hasMessageContaining("2 agents");
    }

    @Test
    void labelChangesSetAndRemoveLikeKubectl() {
        var current = Api.JSON.valueToTree(Map.of("env", "dev", "old", "x"));

        assertThat(AgentsCommand.applyLabelChanges((com.fasterxml.jackson.databind.JsonNode) current,
                List.of("env=prod", "role=web", "old-")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("env", "prod", "role", "web"));
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : List.of(new String[] {"--help"}, new String[] {"jobs", "watch", "--help"},
                new String[] {"schedules", "create", "--help"}, new String[] {"agent", "enroll", "--help"})) {
            out.getBuffer().setLength(0);
            assertThat(run(command)).as(String.join(" ", command)).isZero();
            assertThat(out.toString()).startsWith("Usage: mamos");
        }
        assertThat(out.toString()).contains("Usage: mamos agent enroll");
    }

    @Test
    void bashCompletionCoversTheSubcommands() {
        assertThat(run("completion", "bash")).isZero();

        assertThat(out.toString()).contains("complete -F").contains("jobs").contains("schedules").contains("enroll");
    }

    @Test
    void withoutALoginCommandsSayHowToLogIn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
        var e = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> Api.connect(null, Map.of("XDG_CONFIG_HOME", home.toString())), CliException.class);

        assertThat(e.exitCode()).isEqualTo(CliExit.UNAUTHENTICATED);
        assertThat(e.getMessage()).contains("mamos login");
    }

    @Test
    void mamosTokenIsUsedAsItIsWithoutALogin(@org.junit.jupiter.api.io.TempDir java.nio.file.Path home) {
        Api api = Api.connect("mamos.example:4000/", Map.of("XDG_CONFIG_HOME", home.toString(), "MAMOS_TOKEN", "t"));

        assertThat(api.server()).isEqualTo("http://mamos.example:4000");
        assertThat(api.accessToken(false)).isEqualTo("t");
    }
}
